#include "recorder/video_track_recorder.h"

#include <libyuv/scale.h>

#include "core/media_time.h"

namespace mrec::detail {

std::unique_ptr<VideoTrackRecorder> VideoTrackRecorder::create(const VideoRecorderConfig& config,
                                                               std::string& error,
                                                               const EncoderFactory& makeEncoder) {
  auto encoder = makeEncoder(config.encoder, error);
  if (!encoder) return nullptr;
  return std::unique_ptr<VideoTrackRecorder>(new VideoTrackRecorder(config, std::move(encoder)));
}

VideoTrackRecorder::VideoTrackRecorder(const VideoRecorderConfig& config,
                                       std::unique_ptr<VideoEncoder> encoder)
    : config_(config), encoder_(std::move(encoder)) {}

bool VideoTrackRecorder::keyFrameDue(int64_t timeUs) const {
  if (!lastKeyUs_) return true;
  // Count only: a key frame on the first frame after C frames since the last one.
  if (config_.keyFrameIntervalCount)
    return framesSinceKey_ >= std::max<uint32_t>(*config_.keyFrameIntervalCount, 1);
  // Duration (given or the default): the first frame D ms or more after the last key frame.
  const double intervalMs = config_.keyFrameIntervalMs.value_or(kDefaultKeyFrameIntervalMs);
  return microsToMillis(timeUs - *lastKeyUs_) >= intervalMs;
}

void VideoTrackRecorder::noteOutput(const std::vector<EncodedPacket>& out, size_t from) {
  for (size_t i = from; i < out.size(); ++i) {
    if (out[i].keyFrame) {
      lastKeyUs_ = out[i].timestamp;
      framesSinceKey_ = 1;
    } else {
      ++framesSinceKey_;
    }
  }
}

bool VideoTrackRecorder::process(const VideoChunk& frame, int64_t timeUs, int64_t durationUs,
                                 std::vector<EncodedPacket>& out, bool keyFrame) {
  const uint32_t w = config_.encoder.width, h = config_.encoder.height;
  const uint8_t* pixels = frame.i420->data();
  if (frame.width != w || frame.height != h) {
    // A source that changed size mid-recording: scaled to the size the file declares.
    scaled_.resize(i420Size(w, h));
    const auto from = i420Planes(pixels, frame.width, frame.height);
    const auto to = i420Planes(scaled_.data(), w, h);
    libyuv::I420Scale(from.y, from.width, from.u, from.chromaWidth, from.v, from.chromaWidth,
                      from.width, from.height, to.y, to.width, to.u, to.chromaWidth, to.v,
                      to.chromaWidth, to.width, to.height, libyuv::kFilterBilinear);
    pixels = scaled_.data();
  }
  const size_t before = out.size();
  if (!encoder_->encode(pixels, timeUs, durationUs, keyFrame || keyFrameDue(timeUs), out))
    return false;
  noteOutput(out, before);
  return true;
}

bool VideoTrackRecorder::finish(std::vector<EncodedPacket>& out) {
  return encoder_->finish(out);
}

}  // namespace mrec::detail
