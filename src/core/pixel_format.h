// Conversion of the pixel layouts programs hand in (WebCodecs' VideoPixelFormat) to I420,
// the one layout the encoders take. libyuv does the work, with its SIMD paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "mrec/sources.h"

namespace mrec::detail {

/// Bytes of a packed I420 frame: a full-size Y plane, then U and V at half size (rounded up).
size_t i420Size(uint32_t width, uint32_t height);

/// `data` holds a packed frame of `format` (planes one after another, no padding);
/// returns the same picture as packed I420 (BT.601 limited range from RGB).
std::shared_ptr<const std::vector<uint8_t>> convertToI420(VideoPixelFormat format,
                                                          const uint8_t* data, uint32_t width,
                                                          uint32_t height);

}  // namespace mrec::detail
