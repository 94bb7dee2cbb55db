// The profile and level a codecs= item asks of a video codec ("avc1.64001F": High, 3.1),
// parsed once by the codec's row of the formats table and handed to its encoder as values.
#pragma once

#include <cstdint>
#include <optional>

namespace mrec::detail {

struct CodecProfileLevel {
  uint8_t profile = 0;  ///< the codec's own number: H.264 profile_idc 66, 77, 100
  std::optional<uint8_t>
      level;  ///< the codec's own number: 31 for H.264 level 3.1; nullopt: the encoder picks
};

}  // namespace mrec::detail
