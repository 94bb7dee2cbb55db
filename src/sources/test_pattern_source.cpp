// createTestPatternTrack: a moving picture, the native counterpart of a canvas animation
// captured with canvas.captureStream(). Each frame differs from the last everywhere (a
// sliding gradient and colour bars) and has a bouncing box, so an encoder has real work.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/clock.h"
#include "core/media_time.h"
#include "core/owned_thread.h"
#include "mrec/sources.h"
#include "sources/realtime_ticker.h"
#include "stream/track_state.h"

namespace mrec {

namespace {

// Late ticks catch up, but a source far behind the clock does not flood its recorders.
constexpr int kMaxFramesPerTick = 3;

class TestPatternSource final : public detail::TrackSource,
                                public std::enable_shared_from_this<TestPatternSource> {
 public:
  explicit TestPatternSource(const TestPatternOptions& options) : options_(options) {
    if (options.durationSeconds)
      frameLimit_ =
          static_cast<uint64_t>(std::llround(*options.durationSeconds * options.frameRate));
  }

  MediaTrackSettings settings() const override {
    MediaTrackSettings settings;
    settings.deviceId = "test-pattern";
    settings.width = options_.width;
    settings.height = options_.height;
    settings.frameRate = options_.frameRate;
    return settings;
  }

  void run() {
    if (options_.realtime) {
      detail::RealtimeTicker::instance().add(
          [self = shared_from_this()] { return self->tickRealtime(); });
      return;
    }
    producer_ = detail::OwnedThread([self = shared_from_this()] { self->produceOffline(); });
  }

 private:
  int64_t frameTimeUs(uint64_t frame) const {
    return detail::frameMicros(options_.frameRate, static_cast<int64_t>(frame));
  }
  bool done() const { return frameLimit_ && frame_ >= *frameLimit_; }

  bool tickRealtime() {
    if (!hasLiveTracks() || done()) {
      endAllTracks();
      return false;
    }
    const int64_t now = detail::wallClockMicros();
    if (!startUs_) startUs_ = now;
    for (int i = 0; i < kMaxFramesPerTick && !done(); ++i) {
      const int64_t due = *startUs_ + frameTimeUs(frame_);
      if (due > now) break;
      if (!hasConsumers()) {  // nobody records it: time passes, nothing is drawn
        ++frame_;
        continue;
      }
      deliverVideo(render(due, /*wallClock=*/true), detail::Delivery::Realtime);
    }
    return true;
  }

  void produceOffline() {
    while (!done() && waitForConsumers())
      deliverVideo(render(frameTimeUs(frame_), /*wallClock=*/false), detail::Delivery::Paced);
    endAllTracks();
  }

  detail::VideoChunk render(int64_t timestamp, bool wallClock) {
    const uint32_t w = options_.width, h = options_.height;
    auto bytes = std::make_shared<std::vector<uint8_t>>(detail::i420Size(w, h));
    const auto planes = detail::i420Planes(bytes->data(), w, h);
    const auto cw = static_cast<uint32_t>(planes.chromaWidth);
    const auto ch = static_cast<uint32_t>(planes.chromaHeight);
    uint8_t *y = planes.y, *u = planes.u, *v = planes.v;
    const auto n = static_cast<uint32_t>(frame_);
    // Luma: a diagonal gradient sliding 4 pixels a frame.
    for (uint32_t row = 0; row < h; ++row) {
      uint8_t* line = y + size_t{row} * w;
      for (uint32_t col = 0; col < w; ++col)
        line[col] = static_cast<uint8_t>(16 + ((col + row + 4 * n) & 0xFF) * 219 / 255);
    }
    // A white box bouncing across the frame.
    const uint32_t box = std::max<uint32_t>(2, std::min(w, h) / 8);
    const uint32_t spanX = w > box ? w - box : 1, spanY = h > box ? h - box : 1;
    const uint32_t bx = bounce(n * 7, spanX), by = bounce(n * 5, spanY);
    for (uint32_t row = by; row < std::min(h, by + box); ++row)
      std::fill_n(y + size_t{row} * w + bx, std::min(box, w - bx), uint8_t{235});
    // Chroma: eight colour bars moving one bar width every 16 frames.
    for (uint32_t row = 0; row < ch; ++row) {
      for (uint32_t col = 0; col < cw; ++col) {
        const uint32_t bar = (col * 8 / std::max(cw, 1u) + n / 16) % 8;
        u[size_t{row} * cw + col] = kBarsU[bar];
        v[size_t{row} * cw + col] = kBarsV[bar];
      }
    }
    ++frame_;
    detail::VideoChunk chunk;
    chunk.width = w;
    chunk.height = h;
    chunk.timestamp = timestamp;
    chunk.duration = frameTimeUs(frame_) - frameTimeUs(frame_ - 1);
    chunk.wallClock = wallClock;
    chunk.i420 = std::move(bytes);
    return chunk;
  }

  static uint32_t bounce(uint32_t position, uint32_t span) {
    const uint32_t cycle = position % (2 * span);
    return cycle < span ? cycle : 2 * span - cycle;
  }

  static constexpr uint8_t kBarsU[8] = {128, 16, 166, 54, 202, 90, 240, 128};
  static constexpr uint8_t kBarsV[8] = {128, 146, 16, 34, 222, 240, 110, 128};

  const TestPatternOptions options_;
  std::optional<uint64_t> frameLimit_;
  uint64_t frame_ = 0;
  std::optional<int64_t> startUs_;
  detail::OwnedThread producer_;  ///< offline: holds the source until it returns
};

}  // namespace

std::shared_ptr<MediaStreamTrack> createTestPatternTrack(const TestPatternOptions& options) {
  if (options.width == 0 || options.height == 0 || options.width > 16384 || options.height > 16384)
    throw TypeError("createTestPatternTrack: width and height must be within 1-16384");
  if (!std::isfinite(options.frameRate) || options.frameRate <= 0 || options.frameRate > 1000)
    throw TypeError("createTestPatternTrack: frameRate must be within (0, 1000]");
  if (options.durationSeconds && !(*options.durationSeconds >= 0))
    throw TypeError("createTestPatternTrack: durationSeconds must not be negative");

  auto source = std::make_shared<TestPatternSource>(options);
  std::ostringstream label;
  label << "Test pattern " << options.width << "x" << options.height;
  auto state = std::make_shared<detail::TrackState>("video", label.str(), source);
  source->addTrack(state);
  auto track = detail::Access::makeTrack(std::move(state));
  source->run();
  return track;
}

}  // namespace mrec
