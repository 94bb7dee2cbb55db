// Nothing a device delivers after start() is lost, nor anything before stop() (issue 15):
// pink noise played into the test daemon's null sink is recorded from its monitor, while a
// sink of the test's own on the same track keeps every piece the device delivers and the
// time it came. The file is found among those samples by its content, so what is asserted is
// which media the file holds, not how long anything took.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "stream/media_sink.h"
#include "stream/track_state.h"
#include "support/alignment.h"
#include "support/event_log.h"
#include "support/media_tools.h"
#include "support/pulse_daemon.h"

namespace mrec {
namespace {

constexpr size_t kRate = 48000;

// Each piece the track's source delivers, downmixed to mono, and when it reached this sink.
// Sinks of one track are called one after another on the source's thread, this one first
// (it is added before the recorder's).
class DeliveredAudio : public detail::MediaSink {
 public:
  struct Piece {
    int64_t reachedAt = 0;  ///< detail::wallClockMicros()
    size_t first = 0;       ///< index of its first sample in samples()
    size_t frames = 0;
  };

  void onAudio(const detail::AudioChunk& chunk, detail::Delivery) override {
    const int64_t now = detail::wallClockMicros();
    std::lock_guard lock(mutex_);
    pieces_.push_back({now, samples_.size(), chunk.frames});
    for (uint32_t frame = 0; frame < chunk.frames; ++frame) {
      float sum = 0;
      for (uint32_t c = 0; c < chunk.channels; ++c)
        sum += (*chunk.samples)[size_t{frame} * chunk.channels + c];
      samples_.push_back(sum / float(chunk.channels));
    }
  }

  size_t frames() const {
    std::lock_guard lock(mutex_);
    return samples_.size();
  }
  std::vector<Piece> pieces() const {
    std::lock_guard lock(mutex_);
    return pieces_;
  }
  std::vector<float> samples() const {
    std::lock_guard lock(mutex_);
    return samples_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Piece> pieces_;
  std::vector<float> samples_;
};

}  // namespace

TEST(CaptureStart, TheFileHoldsEverySampleDeliveredBetweenStartAndStop) {
  test::PulseDaemon daemon;
  ASSERT_TRUE(daemon.running()) << daemon.log();
  test::TempDir dir;
  const auto noise = dir / "noise.wav";
  ASSERT_EQ(test::runCommand("sox -n -r 48000 -c 2 -b 16 '" + noise.string() +
                             "' synth 30 pinknoise vol 0.5")
                .status,
            0);
  daemon.play(noise);

  MediaTrackConstraints monitor;
  monitor.deviceId = "test.monitor";
  auto stream = mediaDevices::getUserMedia({.audio = monitor});
  auto track = stream->getAudioTracks()[0];
  auto delivered = std::make_shared<DeliveredAudio>();
  ASSERT_TRUE(detail::Access::state(*track)->addSink(delivered));
  // A monitor delivers once its sink renders (docs/testing.md §5): the device is flowing
  // before the recorder starts, as a microphone is.
  const auto flowing = std::chrono::steady_clock::now() + 10s;
  while (delivered->frames() < kRate / 2 && std::chrono::steady_clock::now() < flowing)
    std::this_thread::sleep_for(10ms);
  ASSERT_GE(delivered->frames(), kRate / 2) << "the monitor delivered nothing";

  auto loop = std::make_shared<EventLoop>();
  // A high bit rate keeps the noise's waveform, which the file is found by.
  MediaRecorder recorder(stream,
                         {.mimeType = "audio/ogg;codecs=opus", .audioBitsPerSecond = 320000}, loop);
  test::EventLog log(recorder);
  recorder.start();
  const int64_t started = detail::wallClockMicros();
  test::runFor(*loop, 1500ms);
  const int64_t stopping = detail::wallClockMicros();
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_FALSE(log.has("error")) << ::testing::PrintToString(log.types);
  for (auto& t : stream->getTracks()) t->stop();

  // Required: from the first piece that reached the track after start() returned to the
  // last that had passed every sink before stop() was called (the one after it may have
  // reached the recorder's sink after).
  const auto pieces = delivered->pieces();
  const auto reference = delivered->samples();
  const auto firstAfterStart = std::find_if(pieces.begin(), pieces.end(),
                                            [&](const auto& p) { return p.reachedAt > started; });
  const auto firstAtStop = std::find_if(pieces.begin(), pieces.end(),
                                        [&](const auto& p) { return p.reachedAt >= stopping; });
  ASSERT_NE(firstAfterStart, pieces.end());
  ASSERT_GT(firstAtStop - firstAfterStart, 2) << "no piece delivered while recording";
  const size_t requiredFrom = firstAfterStart->first;
  const auto lastRequired = firstAtStop - 2;
  const size_t requiredTo = lastRequired->first + lastRequired->frames;

  test::writeFile(dir / "recorded.ogg", log.file());
  const auto recorded = test::decodeMono(dir / "recorded.ogg");
  const size_t window = kRate / 10;
  ASSERT_GT(recorded.size(), 2 * window);
  const size_t searchFrom = requiredFrom > kRate / 2 ? requiredFrom - kRate / 2 : 0;
  const auto head =
      test::align(reference, recorded, 0, window, searchFrom, requiredFrom + kRate / 4);
  // Opus keeps noise to a correlation of about 0.9 to 0.98 at this rate; a wrong offset
  // correlates near 0.
  ASSERT_GT(head.correlation, 0.7) << "the file's start is not among the device's samples";
  const size_t tailExpected = head.offset + recorded.size() - window;
  const auto tail = test::align(reference, recorded, recorded.size() - window, window,
                                tailExpected - kRate / 100, tailExpected + kRate / 100);
  EXPECT_GT(tail.correlation, 0.7);
  // To a sample or two, as the codec may blur the best match; a lost piece is 5 ms or more.
  EXPECT_NEAR(double(tail.offset), double(tailExpected), 2)
      << "samples lost or repeated inside the file";

  const auto ms = [](double frames) { return frames * 1000 / kRate; };
  EXPECT_LE(head.offset, requiredFrom)
      << "the file starts " << ms(double(head.offset) - double(requiredFrom))
      << " ms after the first piece delivered after start()";
  EXPECT_GE(head.offset + recorded.size(), requiredTo)
      << "the file ends " << ms(double(requiredTo) - double(head.offset + recorded.size()))
      << " ms before the last piece delivered before stop()";
  std::printf(
      "file from %.1f ms before the first piece after start() to %.1f ms after the "
      "last before stop(); correlation %.3f / %.3f\n",
      ms(double(requiredFrom) - double(head.offset)),
      ms(double(head.offset + recorded.size()) - double(requiredTo)), head.correlation,
      tail.correlation);
}

}  // namespace mrec
