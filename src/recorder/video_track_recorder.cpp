#include "recorder/video_track_recorder.h"

#include <libyuv/scale.h>

namespace mrec::detail {

std::unique_ptr<VideoTrackRecorder> VideoTrackRecorder::create(const VideoRecorderConfig& config,
                                                               std::string& error) {
  auto encoder = makeVideoEncoder(config.encoder, error);
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
  return double(timeUs - *lastKeyUs_) >= intervalMs * 1000.0;
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
                                 std::vector<EncodedPacket>& out) {
  const uint32_t w = config_.encoder.width, h = config_.encoder.height;
  const uint8_t* pixels = frame.i420->data();
  if (frame.width != w || frame.height != h) {
    // A source that changed size mid-recording: scaled to the size the file declares.
    scaled_.resize(i420Size(w, h));
    const int sw = static_cast<int>(frame.width), sh = static_cast<int>(frame.height);
    const int scw = (sw + 1) / 2, sch = (sh + 1) / 2;
    const int dw = static_cast<int>(w), dh = static_cast<int>(h);
    const int dcw = (dw + 1) / 2, dch = (dh + 1) / 2;
    const uint8_t* sy = pixels;
    const uint8_t* su = sy + size_t(sw) * sh;
    const uint8_t* sv = su + size_t(scw) * sch;
    uint8_t* dy = scaled_.data();
    uint8_t* du = dy + size_t(dw) * dh;
    uint8_t* dv = du + size_t(dcw) * dch;
    libyuv::I420Scale(sy, sw, su, scw, sv, scw, sw, sh, dy, dw, du, dcw, dv, dcw, dw, dh,
                      libyuv::kFilterBilinear);
    pixels = scaled_.data();
  }
  const size_t before = out.size();
  if (!encoder_->encode(pixels, timeUs, durationUs, keyFrameDue(timeUs), out)) return false;
  noteOutput(out, before);
  return true;
}

bool VideoTrackRecorder::finish(std::vector<EncodedPacket>& out) {
  return encoder_->finish(out);
}

}  // namespace mrec::detail
