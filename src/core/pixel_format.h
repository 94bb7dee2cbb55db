// Conversion of the pixel layouts programs hand in (WebCodecs' VideoPixelFormat) to I420,
// the one layout the encoders take. libyuv does the work, with its SIMD paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "mrec/media_data.h"

namespace mrec::detail {

/// Bytes of a packed I420 frame: a full-size Y plane, then U and V at half size (rounded up).
size_t i420Size(uint32_t width, uint32_t height);

/// Where the planes of a packed I420 frame of `width` x `height` lie, with their strides
/// (libyuv's and the codecs' int sizes). `Byte` is uint8_t or const uint8_t.
template <typename Byte>
struct I420Planes {
  Byte* y;
  Byte* u;
  Byte* v;
  int width, height, chromaWidth, chromaHeight;
};
template <typename Byte>
I420Planes<Byte> i420Planes(Byte* data, uint32_t width, uint32_t height) {
  const int w = static_cast<int>(width), h = static_cast<int>(height);
  const int cw = (w + 1) / 2, ch = (h + 1) / 2;
  Byte* u = data + size_t(w) * h;
  return {data, u, u + size_t(cw) * ch, w, h, cw, ch};
}

/// `data` holds a packed frame of `format` (planes one after another, no padding);
/// returns the same picture as packed I420 (BT.601 limited range from RGB).
std::shared_ptr<const std::vector<uint8_t>> convertToI420(VideoPixelFormat format,
                                                          const uint8_t* data, uint32_t width,
                                                          uint32_t height);

}  // namespace mrec::detail
