// What the Dictaphone accepts as a clip's name.
#pragma once

#include <optional>
#include <string>

namespace dictaphone {

/// Longest name, in characters (Unicode code points, not bytes: 200 of "é" are 400 bytes).
constexpr size_t kMaxClipNameCharacters = 200;

/// `text` trimmed of surrounding white space, if it makes a name: not empty, at most
/// kMaxClipNameCharacters, and free of control characters (a NUL once cut a name short
/// where it was stored; a line break or a tab has no place in a file name either).
std::optional<std::string> clipName(const std::string& text);

}  // namespace dictaphone
