// The maxDuration extension: a live recording ends itself, as stop() would, holding exactly
// that much media (audio to the sample, the video frames that start before it); paused time
// does not count, and recordedDuration() follows the media taken in.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "output/recording.h"
#include "support/media_tools.h"

namespace mrec {

namespace {

struct Ended {
  std::vector<std::string> events;
  Blob file;
  double recordedMs = 0;
  uint64_t droppedFrames = 0;
};

Ended recordLive(std::shared_ptr<MediaStream> stream, MediaRecorderOptions options,
                 bool pauseOnce = false) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(std::move(stream), options, loop);
  test::EventLog log(recorder);
  recorder.start(500);
  if (pauseOnce) {
    test::runFor(*loop, 300ms);
    recorder.pause();
    test::runFor(*loop, 400ms);
    recorder.resume();
  }
  EXPECT_TRUE(test::runUntil(
      *loop, [&] { return log.has("stop"); }, 20s));
  EXPECT_EQ(recorder.state(), RecordingState::Inactive);
  return {log.types, Blob(log.blobs, recorder.mimeType()), recorder.recordedDuration(),
          recorder.droppedVideoFrames()};
}

}  // namespace

TEST(MaxDuration, ALiveRecordingEndsItselfWithExactlyThatMuchAudio) {
  const Ended rec = recordLive(test::streamOf({createToneTrack({})}),
                               {.mimeType = "audio/ogg", .maxDuration = 1234});
  ASSERT_FALSE(rec.events.empty());
  EXPECT_EQ(rec.events.front(), "start");
  EXPECT_EQ(rec.events.back(), "stop");
  EXPECT_EQ(std::count(rec.events.begin(), rec.events.end(), "error"), 0);
  EXPECT_EQ(rec.events.at(rec.events.size() - 2), "dataavailable");
  EXPECT_DOUBLE_EQ(rec.recordedMs, 1234);
  test::TempDir dir;
  test::writeFile(dir / "limited.ogg", rec.file);
  EXPECT_EQ(test::decodeMono(dir / "limited.ogg").size(), 1234u * 48);
}

TEST(MaxDuration, PausedTimeDoesNotCount) {
  const Ended rec = recordLive(test::streamOf({createToneTrack({})}),
                               {.mimeType = "audio/webm", .maxDuration = 1000}, true);
  EXPECT_NE(std::find(rec.events.begin(), rec.events.end(), "pause"), rec.events.end());
  EXPECT_EQ(rec.events.back(), "stop");
  test::TempDir dir;
  test::writeFile(dir / "paused.webm", rec.file);
  EXPECT_EQ(test::decodeMono(dir / "paused.webm").size(), 48000u);
}

TEST(MaxDuration, VideoHoldsTheFramesThatStartBeforeIt) {
  // Small frames, so that a sanitizer build keeps up; frames it still drops are counted.
  const Ended rec = recordLive(
      test::streamOf({createToneTrack({}), createTestPatternTrack({.width = 160, .height = 120})}),
      {.mimeType = "video/webm;codecs=vp8,opus", .maxDuration = 1500});
  EXPECT_EQ(rec.events.back(), "stop");
  EXPECT_EQ(std::count(rec.events.begin(), rec.events.end(), "error"), 0);
  test::TempDir dir;
  const auto file = dir / "limited.webm";
  test::writeFile(file, rec.file);
  // The audio ends at 1.5 s. The tone and the pattern start on the realtime ticker's ticks,
  // 10 ms apart, so the audio may start a tick after the video (seen in CI: 479 samples
  // short); WebM's millisecond timecodes place that start to within a millisecond. ffprobe's
  // start time is the first packet's, which is the Opus pre-skip (312 samples) earlier.
  const double audioStart =
      std::atof(test::ffprobeStreams(file, "a", "stream=start_time").c_str()) + 312 / 48000.0;
  EXPECT_LE(audioStart, 0.0105);
  EXPECT_NEAR(double(test::decodeMono(file).size()), (1.5 - audioStart) * 48000, 48);
  // 30 frames a second: 0 to 1.4667 s start before 1.5 s, none after it.
  EXPECT_EQ(test::videoKeyFrames(file).size() + rec.droppedFrames, 45u);
  EXPECT_LT(test::streamEnd(file, "v"), 1.5 + 0.034);
}

TEST(MaxDuration, IsAPositiveNumberOfMilliseconds) {
  for (const double bad : std::vector<double>{0.0, -1.0, std::nan(""), INFINITY}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(MediaRecorder(test::streamOf({createToneTrack({})}), {.maxDuration = bad}),
                 TypeError);
  }
}

}  // namespace mrec
