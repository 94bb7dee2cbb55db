#include <gtest/gtest.h>
#include <mrec/mrec.h>

#include <atomic>
#include <cmath>
#include <thread>

namespace mrec {

using namespace std::chrono_literals;

TEST(MediaStream, TrackSetOperations) {
  auto a = createToneTrack();
  auto b = createToneTrack();
  MediaStream stream({a, a});
  EXPECT_EQ(stream.getTracks().size(), 1u) << "a track is in a stream at most once";
  EXPECT_TRUE(stream.active());
  stream.addTrack(b);
  stream.addTrack(b);
  EXPECT_EQ(stream.getAudioTracks().size(), 2u);
  EXPECT_EQ(stream.getVideoTracks().size(), 0u);
  EXPECT_EQ(stream.getTrackById(b->id()), b);
  EXPECT_EQ(stream.getTrackById("nope"), nullptr);
  stream.removeTrack(a);
  EXPECT_EQ(stream.getTracks(), (std::vector<std::shared_ptr<MediaStreamTrack>>{b}));
  b->stop();
  EXPECT_FALSE(stream.active());
  EXPECT_THROW(stream.addTrack(nullptr), TypeError);
  EXPECT_EQ(stream.id().size(), 36u);
  EXPECT_NE(stream.id(), MediaStream().id());
}

TEST(MediaStreamTrack, AttributesCloneAndStop) {
  auto track = createToneTrack({.sampleRate = 44100, .channelCount = 2});
  EXPECT_EQ(track->kind(), "audio");
  EXPECT_EQ(track->label(), "Tone 440 Hz");
  EXPECT_TRUE(track->enabled());
  EXPECT_FALSE(track->muted());
  EXPECT_EQ(track->getSettings().sampleRate, 44100u);
  EXPECT_EQ(track->getSettings().channelCount, 2u);
  track->setEnabled(false);
  auto clone = track->clone();
  EXPECT_NE(clone->id(), track->id());
  EXPECT_FALSE(clone->enabled());
  std::atomic<bool> ended{false};
  track->onended = [&](const Event&) { ended = true; };
  track->stop();
  EXPECT_EQ(track->readyState(), MediaStreamTrackState::Ended);
  EXPECT_EQ(clone->readyState(), MediaStreamTrackState::Live) << "a clone lives on";
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(ended) << "stop() fires no 'ended'";
  EXPECT_EQ(track->clone()->readyState(), MediaStreamTrackState::Ended);
}

TEST(MediaStreamTrack, InvalidToneOptionsAreTypeErrors) {
  EXPECT_THROW(createToneTrack({.sampleRate = 100}), TypeError);
  EXPECT_THROW(createToneTrack({.channelCount = 0}), TypeError);
  EXPECT_THROW(createToneTrack({.durationSeconds = -1}), TypeError);
  EXPECT_THROW(createToneTrack({.frequency = std::nan("")}), TypeError);
}

TEST(MediaStreamTrackGenerator, ValidatesKindAndLayout) {
  EXPECT_THROW(MediaStreamTrackGenerator::create("text"), TypeError);
  auto audio = MediaStreamTrackGenerator::create("audio");
  EXPECT_EQ(audio->kind(), "audio");
  AudioData data{AudioSampleFormat::S16, 48000, 10, 2, 0, std::vector<uint8_t>(40)};
  EXPECT_NO_THROW(audio->write(data));  // no recorder: nothing waits
  EXPECT_EQ(audio->getSettings().channelCount, 2u);
  data.data.resize(39);
  EXPECT_THROW(audio->write(data), TypeError);
  data.data.resize(40);
  data.sampleRate = 0;
  EXPECT_THROW(audio->write(data), TypeError);
  data.sampleRate = 48000;
  data.numberOfFrames = 0;
  data.data.clear();
  EXPECT_THROW(audio->write(data), TypeError);
  EXPECT_THROW(
      audio->write(VideoFrame{VideoPixelFormat::I420, 2, 2, 0, {}, std::vector<uint8_t>(6)}),
      TypeError);
  std::atomic<bool> ended{false};  // set on the library's event thread
  audio->onended = [&](const Event&) { ended = true; };
  audio->close();
  EXPECT_EQ(audio->readyState(), MediaStreamTrackState::Ended);
  data.numberOfFrames = 10;
  data.data.resize(40);
  EXPECT_THROW(audio->write(data), TypeError) << "closed";
  for (int i = 0; i < 100 && !ended; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(ended) << "close() fires 'ended'";

  auto video = MediaStreamTrackGenerator::create("video");
  EXPECT_NO_THROW(
      video->write(VideoFrame{VideoPixelFormat::I420, 2, 2, 0, {}, std::vector<uint8_t>(6)}));
  EXPECT_THROW(
      video->write(VideoFrame{VideoPixelFormat::RGBA, 2, 2, 0, {}, std::vector<uint8_t>(6)}),
      TypeError);
}

}  // namespace mrec
