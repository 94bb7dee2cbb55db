// Turns one video track's frames into encoded packets: scaling to the recording's size,
// key-frame placement (docs/conformance.md §2.2 step 12), encoding. A pure unit run by the
// recording's worker.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codecs/video_encoder.h"
#include "stream/video_chunk.h"

namespace mrec::detail {

struct VideoRecorderConfig {
  VideoEncoderConfig encoder;  ///< its size is the recording's: other frames are scaled to it
  std::optional<double> keyFrameIntervalMs;
  std::optional<uint32_t> keyFrameIntervalCount;
};

class VideoTrackRecorder {
 public:
  /// Key frames when the recorder is given no interval: often enough to seek well.
  static constexpr double kDefaultKeyFrameIntervalMs = 2000;

  /// Returns null and sets `error` if the encoder cannot be made.
  using EncoderFactory =
      std::function<std::unique_ptr<VideoEncoder>(const VideoEncoderConfig&, std::string&)>;
  /// `makeEncoder`: makeVideoEncoder, or what a test puts around it.
  static std::unique_ptr<VideoTrackRecorder> create(
      const VideoRecorderConfig& config, std::string& error,
      const EncoderFactory& makeEncoder = makeVideoEncoder);

  const VideoEncoder& encoder() const { return *encoder_; }
  /// Encodes `frame` as the frame at `timeUs` of the recording, shown for `durationUs`; as a
  /// key frame when one is due or `keyFrame` asks for one.
  bool process(const VideoChunk& frame, int64_t timeUs, int64_t durationUs,
               std::vector<EncodedPacket>& out, bool keyFrame = false);
  bool finish(std::vector<EncodedPacket>& out);
  const std::string& lastError() const { return encoder_->lastError(); }

 private:
  VideoTrackRecorder(const VideoRecorderConfig& config, std::unique_ptr<VideoEncoder> encoder);
  bool keyFrameDue(int64_t timeUs) const;
  void noteOutput(const std::vector<EncodedPacket>& out, size_t from);

  const VideoRecorderConfig config_;
  std::unique_ptr<VideoEncoder> encoder_;
  std::vector<uint8_t> scaled_;
  std::optional<int64_t> lastKeyUs_;  ///< of the last key frame the encoder made
  uint32_t framesSinceKey_ = 0;
};

}  // namespace mrec::detail
