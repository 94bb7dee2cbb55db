#include "codecs/h264_codec_string.h"

#include <charconv>

namespace mrec::detail {

namespace {

bool isEncodable(uint8_t profileIdc) {
  return profileIdc == 66 || profileIdc == 77 || profileIdc == 100;
}

// The levels of H.264 Table A-1 up to 5.2, the highest OpenH264 knows.
bool isEncodableLevel(uint8_t levelIdc) {
  for (const int level : {9, 10, 11, 12, 13, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 52})
    if (levelIdc == level) return true;
  return false;
}

}  // namespace

std::optional<CodecProfileLevel> parseH264CodecString(std::string_view item, std::string& reason) {
  const size_t dot = item.find('.');
  if (dot == std::string_view::npos) return CodecProfileLevel{.profile = 66};
  const std::string_view hex = item.substr(dot + 1);
  uint32_t value = 0;
  const auto [end, error] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
  if (hex.size() != 6 || error != std::errc() || end != hex.data() + hex.size()) {
    reason = "\"" + std::string(item) +
             "\" is not an H.264 codec string (avc1.PPCCLL: profile, constraints and level in "
             "hex, as avc1.42E01E)";
    return std::nullopt;
  }
  const auto profileIdc = static_cast<uint8_t>(value >> 16);
  const auto levelIdc = static_cast<uint8_t>(value & 0xFF);
  if (!isEncodable(profileIdc)) {
    reason = "H.264 profile " + std::to_string(profileIdc) + " (\"" + std::string(item) +
             "\") cannot be encoded: OpenH264 encodes Baseline (42), Main (4D) and High (64)";
    return std::nullopt;
  }
  if (!isEncodableLevel(levelIdc)) {
    reason = "\"" + std::string(item) + "\" names no H.264 level OpenH264 writes (level_idc " +
             std::to_string(levelIdc) + "; 1b, 1.0 to 5.2 are 09, 0A to 34)";
    return std::nullopt;
  }
  return CodecProfileLevel{profileIdc, levelIdc};
}

}  // namespace mrec::detail
