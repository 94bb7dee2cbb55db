#include "codecs/video_encoder.h"

#include <algorithm>

namespace mrec::detail {

namespace {
// Below 10 kbit/s no codec makes a picture; libvpx and libaom take kbit/s in 32 bits but
// rate control is tuned far below 100 Mbit/s (Firefox's clamp; docs/conformance.md
// decision 3).
constexpr uint32_t kMinBitsPerSecond = 10000;
constexpr uint32_t kMaxBitsPerSecond = 100000000;
// The largest frame either library takes is 65536 pixels a side; the recorder's sources
// stay far below it. Beyond 16384, memory rather than the codec is the limit.
constexpr uint32_t kMaxDimension = 16384;
}  // namespace

uint32_t clampVideoBitrate(uint32_t bitsPerSecond) {
  return std::clamp(bitsPerSecond, kMinBitsPerSecond, kMaxBitsPerSecond);
}

std::unique_ptr<VideoEncoder> makeVideoEncoder(const VideoEncoderConfig& config,
                                               std::string& error) {
  if (config.width == 0 || config.height == 0 || config.width > kMaxDimension ||
      config.height > kMaxDimension) {
    error = "a video frame of " + std::to_string(config.width) + "x" +
            std::to_string(config.height) + " cannot be encoded (1 to 16384 pixels a side)";
    return nullptr;
  }
  return formatOf(config.codec).makeEncoder(config, error);
}

}  // namespace mrec::detail
