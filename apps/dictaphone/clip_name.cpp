#include "clip_name.h"

#include <algorithm>

namespace dictaphone {

std::optional<std::string> clipName(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::nullopt;
  std::string name = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  const bool control = std::any_of(name.begin(), name.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
  // The JSON parser has checked the UTF-8: a character is a byte that does not continue one.
  const auto characters = static_cast<size_t>(std::count_if(name.begin(), name.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
  if (control || characters > kMaxClipNameCharacters) return std::nullopt;
  return name;
}

}  // namespace dictaphone
