// The interface every video encoder implements: a pure unit, no threads of its own beyond
// the codec library's, no I/O. Failures are values (false + lastError()), never exceptions:
// encoders run on the recorder's worker thread, where a failure becomes the spec's error
// event. Input is I420 at the size the encoder was made for; times are microseconds.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "core/format_table.h"

namespace mrec::detail {

struct VideoEncoderConfig {
  VideoCodec codec = VideoCodec::Vp8;
  uint32_t width = 640, height = 480;
  uint32_t bitsPerSecond = 2500000;  ///< clamped to what the codec can do
  double frameRate = 30;             ///< a hint for rate control; timestamps rule
  uint32_t threads = 2;
  /// The profile and level the type's codecs= item asked for ("avc1.64001F"); nullopt: the
  /// encoder's own (H.264: Constrained Baseline at the level OpenH264 picks).
  std::optional<CodecProfileLevel> profileLevel;
};

class VideoEncoder {
 public:
  virtual ~VideoEncoder() = default;
  /// The container's codec setup data (AV1's av1C record; empty for VP8 and VP9).
  virtual std::vector<uint8_t> codecPrivate() const = 0;
  /// Encodes one frame; appends the packets it completes to `out`. `keyFrame` forces one.
  virtual bool encode(const uint8_t* i420, int64_t timestampUs, int64_t durationUs, bool keyFrame,
                      std::vector<EncodedPacket>& out) = 0;
  /// Encodes what the encoder still holds.
  virtual bool finish(std::vector<EncodedPacket>& out) = 0;
  virtual const std::string& lastError() const = 0;
};

/// Returns null and sets `error` if the encoder cannot be made with `config`.
std::unique_ptr<VideoEncoder> makeVideoEncoder(const VideoEncoderConfig& config,
                                               std::string& error);

/// The bitrate an encoder is given for a requested one: within the codec's usable range.
uint32_t clampVideoBitrate(uint32_t bitsPerSecond);

}  // namespace mrec::detail
