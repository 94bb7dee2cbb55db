// What an `avc1` item of a MIME type's codecs= asks of H.264 (RFC 6381 §3.3): "avc1" alone,
// or "avc1.PPCCLL" with the SPS's profile_idc, constraint flags and level_idc in hex. Only
// the profiles OpenH264 encodes are accepted, so that the type a recorder reports is the
// stream it writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mrec::detail {

struct H264ProfileLevel {
  uint8_t profileIdc = 66;  ///< 66 Baseline (written as Constrained Baseline), 77 Main, 100 High
  std::optional<uint8_t> levelIdc;  ///< 31 for level 3.1; nullopt: the encoder picks
};

/// The profile and level `item` asks for; nullopt and `reason` set if it is malformed or
/// names a profile that cannot be encoded. The codec name is matched before this is asked.
std::optional<H264ProfileLevel> parseH264CodecString(std::string_view item, std::string& reason);

/// For the formats table: whether `item` can be recorded, with the reason if not.
bool acceptsH264CodecString(std::string_view item, std::string& reason);

}  // namespace mrec::detail
