// wpt/mediacapture-record/MediaRecorder-bitrate.https.html. Streams with video come from a
// video generator track.
#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec {

namespace {

constexpr uint32_t AUDIO_BITRATE = 100000;
constexpr uint32_t VIDEO_BITRATE = 1000000;
constexpr uint32_t LOW_TOTAL_BITRATE = 500000;
constexpr uint32_t HIGH_TOTAL_BITRATE = 2000000;
constexpr double BITRATE_EPSILON = 100000;

std::shared_ptr<MediaStream> audioStream() {
  return test::createAudioStream();
}
std::shared_ptr<MediaStream> videoStream() {
  return test::streamOf({MediaStreamTrackGenerator::create("video")});
}
std::shared_ptr<MediaStream> audioVideoStream() {
  return test::streamOf({createToneTrack(), MediaStreamTrackGenerator::create("video")});
}

}  // namespace

TEST(MediaRecorderBitrate, PassingNoBitrateConfigResultsInDefaults) {
  MediaRecorder rec(audioVideoStream());
  EXPECT_NE(rec.audioBitsPerSecond(), 0u);
  EXPECT_NE(rec.videoBitsPerSecond(), 0u);
}

TEST(MediaRecorderBitrate, PassingBitsPerSecondZeroResultsInTargetsCloseToZero) {
  MediaRecorder rec(audioVideoStream(), {.bitsPerSecond = 0});
  EXPECT_NE(rec.audioBitsPerSecond(), 0u);
  EXPECT_NE(rec.videoBitsPerSecond(), 0u);
  EXPECT_NEAR(rec.audioBitsPerSecond() + rec.videoBitsPerSecond(), 0, BITRATE_EPSILON);
}

TEST(MediaRecorderBitrate, PassingOnlyAudioBitsPerSecondZeroResultsInZeroForAudio) {
  MediaRecorder rec(audioVideoStream(), {.audioBitsPerSecond = 0});
  EXPECT_EQ(rec.audioBitsPerSecond(), 0u);
  EXPECT_NE(rec.videoBitsPerSecond(), 0u);
}

TEST(MediaRecorderBitrate, PassingOnlyVideoBitsPerSecondZeroResultsInZeroForVideo) {
  MediaRecorder rec(audioVideoStream(), {.videoBitsPerSecond = 0});
  EXPECT_NE(rec.audioBitsPerSecond(), 0u);
  EXPECT_EQ(rec.videoBitsPerSecond(), 0u);
}

TEST(MediaRecorderBitrate, PassingBitsPerSecondZeroOverridesSpecificValues) {
  MediaRecorder rec(audioVideoStream(), {.audioBitsPerSecond = AUDIO_BITRATE,
                                         .videoBitsPerSecond = VIDEO_BITRATE,
                                         .bitsPerSecond = 0});
  EXPECT_NE(rec.audioBitsPerSecond(), 0u);
  EXPECT_NE(rec.videoBitsPerSecond(), 0u);
  EXPECT_NEAR(rec.audioBitsPerSecond() + rec.videoBitsPerSecond(), 0, BITRATE_EPSILON);
}

TEST(MediaRecorderBitrate, PassingBitsPerSecondOverridesZeroValues) {
  MediaRecorder rec(
      audioVideoStream(),
      {.audioBitsPerSecond = 0, .videoBitsPerSecond = 0, .bitsPerSecond = HIGH_TOTAL_BITRATE});
  EXPECT_NE(rec.audioBitsPerSecond(), 0u);
  EXPECT_NE(rec.videoBitsPerSecond(), 0u);
  EXPECT_NEAR(rec.audioBitsPerSecond() + rec.videoBitsPerSecond(), HIGH_TOTAL_BITRATE,
              BITRATE_EPSILON);
}

TEST(MediaRecorderBitrate, PassingBitsPerSecondSetsAudioVideoValues) {
  MediaRecorder rec(audioVideoStream(), {.bitsPerSecond = HIGH_TOTAL_BITRATE});
  EXPECT_NE(rec.audioBitsPerSecond(), 0u);
  EXPECT_NE(rec.videoBitsPerSecond(), 0u);
  EXPECT_NEAR(rec.audioBitsPerSecond() + rec.videoBitsPerSecond(), HIGH_TOTAL_BITRATE,
              BITRATE_EPSILON);
}

TEST(MediaRecorderBitrate, PassingOnlyAudioBitsPerSecondResultsInDefaultForVideo) {
  MediaRecorder rec(audioVideoStream(), {.audioBitsPerSecond = AUDIO_BITRATE});
  EXPECT_EQ(rec.audioBitsPerSecond(), AUDIO_BITRATE);
  EXPECT_NE(rec.videoBitsPerSecond(), 0u);
}

TEST(MediaRecorderBitrate, PassingOnlyVideoBitsPerSecondResultsInDefaultForAudio) {
  MediaRecorder rec(audioVideoStream(), {.videoBitsPerSecond = VIDEO_BITRATE});
  EXPECT_NE(rec.audioBitsPerSecond(), 0u);
  EXPECT_EQ(rec.videoBitsPerSecond(), VIDEO_BITRATE);
}

TEST(MediaRecorderBitrate, VideoBitsPerSecondForAudioOnlyStreamStillResultsInSomethingForVideo) {
  MediaRecorder rec(audioStream(), {.videoBitsPerSecond = VIDEO_BITRATE});
  EXPECT_NE(rec.audioBitsPerSecond(), 0u);
  EXPECT_EQ(rec.videoBitsPerSecond(), VIDEO_BITRATE);
}

TEST(MediaRecorderBitrate, AudioBitsPerSecondForVideoOnlyStreamStillResultsInSomethingForAudio) {
  MediaRecorder rec(videoStream(), {.audioBitsPerSecond = AUDIO_BITRATE});
  EXPECT_EQ(rec.audioBitsPerSecond(), AUDIO_BITRATE);
  EXPECT_NE(rec.videoBitsPerSecond(), 0u);
}

TEST(MediaRecorderBitrate, BitsPerSecondForAudioOnlyStreamStillResultsInSomethingForVideo) {
  MediaRecorder rec(audioStream(), {.bitsPerSecond = HIGH_TOTAL_BITRATE});
  EXPECT_NE(rec.audioBitsPerSecond(), 0u);
  EXPECT_NE(rec.videoBitsPerSecond(), 0u);
}

TEST(MediaRecorderBitrate, SelectedDefaultTrackBitratesAreNotChangedByStart) {
  MediaRecorder rec(audioStream());
  const auto abps = rec.audioBitsPerSecond();
  const auto vbps = rec.videoBitsPerSecond();
  rec.start();
  EXPECT_EQ(rec.audioBitsPerSecond(), abps);
  EXPECT_EQ(rec.videoBitsPerSecond(), vbps);
  rec.stop();
}

TEST(MediaRecorderBitrate, PassedInTrackBitratesAreNotChangedByStart) {
  MediaRecorder rec(audioStream(),
                    {.audioBitsPerSecond = AUDIO_BITRATE, .videoBitsPerSecond = VIDEO_BITRATE});
  rec.start();
  EXPECT_EQ(rec.audioBitsPerSecond(), AUDIO_BITRATE);
  EXPECT_EQ(rec.videoBitsPerSecond(), VIDEO_BITRATE);
  rec.stop();
}

TEST(MediaRecorderBitrate, BitsPerSecondForAudioStreamSetsVideoBitrateToZeroInStart) {
  MediaRecorder rec(audioStream(), {.bitsPerSecond = LOW_TOTAL_BITRATE});
  const auto abps = rec.audioBitsPerSecond();
  const auto vbps = rec.videoBitsPerSecond();
  rec.start();
  EXPECT_NEAR(rec.audioBitsPerSecond(), LOW_TOTAL_BITRATE, BITRATE_EPSILON);
  EXPECT_EQ(rec.videoBitsPerSecond(), 0u);
  EXPECT_NE(rec.audioBitsPerSecond(), abps);
  EXPECT_NE(rec.videoBitsPerSecond(), vbps);
  rec.stop();
  // Inactivate recomputes the constructor's split.
  EXPECT_EQ(rec.audioBitsPerSecond(), abps);
  EXPECT_EQ(rec.videoBitsPerSecond(), vbps);
}

TEST(MediaRecorderBitrate, BitsPerSecondForVideoStreamSetsAudioBitrateToZeroInStart) {
  MediaRecorder rec(videoStream(), {.bitsPerSecond = HIGH_TOTAL_BITRATE});
  const auto abps = rec.audioBitsPerSecond();
  const auto vbps = rec.videoBitsPerSecond();
  rec.start();
  EXPECT_EQ(rec.audioBitsPerSecond(), 0u);
  EXPECT_NEAR(rec.videoBitsPerSecond(), HIGH_TOTAL_BITRATE, BITRATE_EPSILON);
  EXPECT_NE(rec.audioBitsPerSecond(), abps);
  EXPECT_NE(rec.videoBitsPerSecond(), vbps);
  rec.stop();
}

}  // namespace mrec
