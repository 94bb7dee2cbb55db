// What an `avc1` item of a MIME type's codecs= asks of H.264 (RFC 6381 §3.3): "avc1" alone,
// or "avc1.PPCCLL" with the SPS's profile_idc, constraint flags and level_idc in hex. Only
// the profiles OpenH264 encodes are accepted, so that the type a recorder reports is the
// stream it writes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/codec_profile.h"

namespace mrec::detail {

/// The profile_idc and level_idc `item` asks for: 66 Baseline (written as Constrained
/// Baseline), 77 Main or 100 High, with no level for a bare "avc1"; nullopt and `reason` set
/// if it is malformed or names a profile that cannot be encoded. The codec name is matched
/// before this is asked. The H.264 row of the formats table calls it.
std::optional<CodecProfileLevel> parseH264CodecString(std::string_view item, std::string& reason);

}  // namespace mrec::detail
