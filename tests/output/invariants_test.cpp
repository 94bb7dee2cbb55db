// docs/architecture.md's invariants, observed on decoded output: nothing lost or duplicated,
// pause cuts the timeline, offline sources run faster than realtime.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>

#include "output/recording.h"
#include "support/media_tools.h"

namespace mrec {

namespace {
AudioData floatData(const std::vector<float>& samples, uint32_t channels, double rate) {
  AudioData data{AudioSampleFormat::F32,
                 rate,
                 static_cast<uint32_t>(samples.size() / channels),
                 channels,
                 0,
                 {}};
  data.data.resize(samples.size() * sizeof(float));
  std::memcpy(data.data.data(), samples.data(), data.data.size());
  return data;
}
}  // namespace

TEST(Invariants, GeneratorSamplesAreNeitherLostNorDuplicated) {
  for (const char* type : {"audio/ogg", "audio/webm", "audio/webm;codecs=pcm"}) {
    SCOPED_TRACE(type);
    auto generator = MediaStreamTrackGenerator::create("audio");
    auto loop = std::make_shared<EventLoop>();
    MediaRecorder recorder(test::streamOf({generator}), {.mimeType = type}, loop);
    test::EventLog log(recorder);
    // Media written while no recorder is attached is not recorded (as with a device), so the
    // writer starts after start(); from then on it is paced by the recorder.
    recorder.start();
    std::thread writer([generator] {
      // Odd chunk sizes, so that no chunk lines up with a 20 ms packet.
      uint32_t written = 0;
      uint32_t step = 0;
      while (written < 48000 + 12345) {
        const uint32_t frames =
            std::min<uint32_t>(97 + 131 * (step++ % 7), 48000 + 12345 - written);
        std::vector<float> samples(frames);
        for (uint32_t i = 0; i < frames; ++i)
          samples[i] = 0.5f * float(std::sin(2 * M_PI * 440 * double(written + i) / 48000));
        generator->write(floatData(samples, 1, 48000));
        written += frames;
      }
      generator->close();
    });
    EXPECT_TRUE(test::runUntil(
        *loop, [&] { return log.has("stop"); }, 60s));
    writer.join();
    EXPECT_EQ(log.types.front(), "start");
    EXPECT_FALSE(log.has("error"));
    const auto& rec = log;
    test::TempDir dir;
    test::writeFile(dir / "out.bin", rec.file());
    const auto samples = test::decodeMono(dir / "out.bin");
    EXPECT_EQ(samples.size(), 48000u + 12345u);
  }
}

TEST(Invariants, PauseCutsThePausedSpanOutOfTheTimeline) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("start"); }));
  test::runFor(*loop, 700ms);
  recorder.pause();
  test::runFor(*loop, 700ms);
  recorder.resume();
  test::runFor(*loop, 700ms);
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  test::TempDir dir;
  test::writeFile(dir / "paused.ogg", log.file());
  const double seconds = double(test::decodeMono(dir / "paused.ogg").size()) / 48000;
  EXPECT_NEAR(seconds, 1.4, 0.15) << "1.4 s recorded, 0.7 s paused";
}

TEST(Invariants, OfflineSourcesRecordFasterThanRealtime) {
  const auto begin = std::chrono::steady_clock::now();
  const auto rec = test::recordToEnd(test::createOfflineToneStream(30.0), {});
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  EXPECT_LT(wall, 30.0 / 2) << "30 s of media must not take realtime";
  test::TempDir dir;
  test::writeFile(dir / "long.ogg", rec.file());
  EXPECT_EQ(test::decodeMono(dir / "long.ogg").size(), 30u * 48000u);
}

TEST(Invariants, AllTracksEndedDeliversDataThenStopWithoutError) {
  auto tone = createToneTrack({.durationSeconds = 0.5, .realtime = false});
  std::atomic<bool> endedFired{false};  // set on the library's event thread
  tone->onended = [&](const Event& e) { endedFired = e.type == "ended"; };
  const auto rec = test::recordToEnd(test::streamOf({tone}), {});
  EXPECT_EQ(rec.events, (std::vector<std::string>{"start", "dataavailable", "stop"}));
  EXPECT_EQ(tone->readyState(), MediaStreamTrackState::Ended);
  for (int i = 0; i < 100 && !endedFired; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(endedFired) << "a source reaching its duration fires 'ended'";
}

}  // namespace mrec
