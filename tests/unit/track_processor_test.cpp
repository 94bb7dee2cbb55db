// MediaStreamTrackProcessor (extension): a track's media read as AudioData beside recorders.
#include <gtest/gtest.h>
#include <mrec/mrec.h>

#include <cstring>
#include <thread>

#include "support/event_log.h"
#include "support/media_tools.h"

namespace mrec {

using namespace std::chrono_literals;

namespace {
std::vector<float> firstChannel(const AudioData& data) {
  std::vector<float> all(data.data.size() / sizeof(float));
  std::memcpy(all.data(), data.data.data(), data.data.size());
  std::vector<float> channel;
  for (size_t i = 0; i < all.size(); i += data.numberOfChannels) channel.push_back(all[i]);
  return channel;
}
}  // namespace

TEST(MediaStreamTrackProcessor, ReadsEverySampleOfAnOfflineTrackThenIsDone) {
  auto track = createToneTrack(
      {.frequency = 1000, .channelCount = 2, .durationSeconds = 1.0, .realtime = false});
  MediaStreamTrackProcessor processor({track, 1000});
  std::vector<float> samples;
  int64_t expectedTimestamp = 0;
  while (true) {
    auto result = processor.read();
    if (result.done) break;
    const auto& data = std::get<AudioData>(result.value);
    EXPECT_EQ(data.format, AudioSampleFormat::F32);
    EXPECT_EQ(data.sampleRate, 48000);
    EXPECT_EQ(data.numberOfChannels, 2u);
    EXPECT_EQ(data.data.size(), data.numberOfFrames * 2 * sizeof(float));
    EXPECT_EQ(data.timestamp, expectedTimestamp) << "timestamps follow the frames";
    expectedTimestamp += int64_t{data.numberOfFrames} * 1000000 / 48000;
    const auto channel = firstChannel(data);
    samples.insert(samples.end(), channel.begin(), channel.end());
  }
  EXPECT_EQ(samples.size(), 48000u);
  EXPECT_NEAR(test::zeroCrossingFrequency(samples, 48000), 1000, 1);
  EXPECT_NEAR(test::peak(samples), 0.5, 0.01);
  EXPECT_EQ(processor.droppedCount(), 0u);
  EXPECT_TRUE(processor.read().done) << "done stays done";
}

TEST(MediaStreamTrackProcessor, BadInitAndEndedOrIsolatedTracks) {
  EXPECT_THROW(MediaStreamTrackProcessor({nullptr}), TypeError);
  EXPECT_THROW(MediaStreamTrackProcessor({createToneTrack(), 0}), TypeError);
  auto isolated = createToneTrack();
  isolated->setIsolated(true);
  EXPECT_EQ(test::thrownName([&] { MediaStreamTrackProcessor processor({isolated}); }),
            "SecurityError");
  auto ended = createToneTrack();
  ended->stop();
  MediaStreamTrackProcessor processor({ended});
  const auto result = processor.read(1s);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->done);
}

TEST(MediaStreamTrackProcessor, AnUnreadProcessorDropsTheOldestAndNeverSlowsTheRecorder) {
  auto track = createToneTrack();  // realtime, 10 ms chunks
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(std::make_shared<MediaStream>(std::vector{track}), {}, loop);
  test::EventLog log(recorder);
  MediaStreamTrackProcessor processor({track, 3});
  recorder.start();
  test::runFor(*loop, 500ms);
  EXPECT_GT(processor.droppedCount(), 20u);
  // What is left is the newest three, back to back.
  std::vector<int64_t> timestamps;
  for (int i = 0; i < 3; ++i) {
    auto result = processor.read(0ms);
    ASSERT_TRUE(result && !result->done);
    timestamps.push_back(std::get<AudioData>(result->value).timestamp);
  }
  EXPECT_GT(timestamps[0], 300000);
  EXPECT_EQ(timestamps[1] - timestamps[0], 10000);
  EXPECT_EQ(timestamps[2] - timestamps[1], 10000);
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_FALSE(log.has("error"));
  test::TempDir dir;
  test::writeFile(dir / "a.ogg", log.file());
  EXPECT_NEAR(double(test::decodeMono(dir / "a.ogg").size()) / 48000, 0.5, 0.1);
}

TEST(MediaStreamTrackProcessor, CancelEndsTheStreamAndADisabledTrackReadsAsSilence) {
  auto track = createToneTrack();
  // Disabled before the processor attaches: audio made before the switch is rightly not silent.
  track->setEnabled(false);
  MediaStreamTrackProcessor processor({track, 100});
  auto result = processor.read(2s);
  ASSERT_TRUE(result && !result->done);
  EXPECT_EQ(test::peak(firstChannel(std::get<AudioData>(result->value))), 0.0f);
  processor.cancel();
  result = processor.read(0ms);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->done);
}

}  // namespace mrec
