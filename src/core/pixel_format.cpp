#include "core/pixel_format.h"

#include <libyuv/convert.h>

#include <cstring>

namespace mrec::detail {

size_t i420Size(uint32_t width, uint32_t height) {
  const size_t chroma = size_t{(width + 1) / 2} * ((height + 1) / 2);
  return size_t{width} * height + 2 * chroma;
}

std::shared_ptr<const std::vector<uint8_t>> convertToI420(VideoPixelFormat format,
                                                          const uint8_t* data, uint32_t width,
                                                          uint32_t height) {
  auto out = std::make_shared<std::vector<uint8_t>>(i420Size(width, height));
  const auto p = i420Planes(out->data(), width, height);
  const int w = p.width, h = p.height, cw = p.chromaWidth;
  switch (format) {
    case VideoPixelFormat::I420:
      std::memcpy(out->data(), data, out->size());
      break;
    case VideoPixelFormat::NV12:
      libyuv::NV12ToI420(data, w, data + size_t(w) * h, 2 * cw, p.y, w, p.u, cw, p.v, cw, w, h);
      break;
    // libyuv names formats by their order in a little-endian 32-bit word: WebCodecs' RGBA
    // (bytes R, G, B, A) is libyuv's "ABGR", and BGRA (bytes B, G, R, A) is its "ARGB".
    case VideoPixelFormat::RGBA:
      libyuv::ABGRToI420(data, 4 * w, p.y, w, p.u, cw, p.v, cw, w, h);
      break;
    case VideoPixelFormat::BGRA:
      libyuv::ARGBToI420(data, 4 * w, p.y, w, p.u, cw, p.v, cw, w, h);
      break;
  }
  return out;
}

}  // namespace mrec::detail
