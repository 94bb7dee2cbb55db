// What a video recording does beyond encoding: key-frame options, disabled tracks, program-
// written frames in every pixel format, size changes, tracks that end early, the realtime
// clock. Checked by decoding with ffmpeg.
#include <gtest/gtest.h>

#include <cmath>

#include "output/recording.h"
#include "support/media_tools.h"

namespace mrec {

namespace {

std::shared_ptr<MediaStreamTrack> offlinePattern(double seconds, uint32_t width = 320,
                                                 uint32_t height = 240) {
  return createTestPatternTrack(
      {.width = width, .height = height, .durationSeconds = seconds, .realtime = false});
}

std::filesystem::path save(const test::TempDir& dir, const test::Recording& rec,
                           const std::string& name = "video.webm") {
  const auto file = dir / name;
  test::writeFile(file, rec.file());
  return file;
}

}  // namespace

TEST(VideoKeyFrames, CountFiveGivesAKeyFrameEveryFifthFrame) {
  const auto rec =
      test::recordToEnd(test::streamOf({offlinePattern(2)}),
                        {.mimeType = "video/webm;codecs=vp8", .videoKeyFrameIntervalCount = 5});
  test::TempDir dir;
  const auto keys = test::videoKeyFrames(save(dir, rec));
  ASSERT_EQ(keys.size(), 60u);
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], i % 5 == 0) << "frame " << i;
}

TEST(VideoKeyFrames, DurationOfASecondGivesOneAboutEverySecond) {
  for (const char* codec : {"vp8", "vp9", "av1"}) {
    SCOPED_TRACE(codec);
    const auto rec = test::recordToEnd(test::streamOf({offlinePattern(4)}),
                                       {.mimeType = std::string("video/webm;codecs=") + codec,
                                        .videoKeyFrameIntervalDuration = 1000});
    test::TempDir dir;
    const auto keys = test::videoKeyFrames(save(dir, rec));
    ASSERT_EQ(keys.size(), 120u);
    for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], i % 30 == 0) << "frame " << i;
  }
}

// The WPT canvas-media-source test's point: the recorder encodes what the source shows.
TEST(VideoContent, AMovingPatternMakesClearlyLargerChunksThanBlackFrames) {
  auto moving = offlinePattern(1);
  auto black = offlinePattern(1);
  black->setEnabled(false);
  const auto movingRec =
      test::recordToEnd(test::streamOf({moving}), {.mimeType = "video/webm;codecs=vp8"});
  const auto blackRec =
      test::recordToEnd(test::streamOf({black}), {.mimeType = "video/webm;codecs=vp8"});
  const uint64_t movingBytes = movingRec.file().size(), blackBytes = blackRec.file().size();
  EXPECT_GT(movingBytes, 5 * blackBytes) << movingBytes << " vs " << blackBytes;

  test::TempDir dir;
  const auto pixels = test::decodeFrameRgb(save(dir, blackRec), 15);
  ASSERT_EQ(pixels.size(), 320u * 240 * 3);
  EXPECT_LT(*std::max_element(pixels.begin(), pixels.end()), 24) << "a disabled track is black";
}

// VideoFrames in each pixel format of the API, one solid colour each: the decoded picture
// shows that colour, so planes and channel order were read as the format says.
TEST(VideoGenerator, EveryPixelFormatIsConvertedFaithfully) {
  struct Case {
    VideoPixelFormat format;
    const char* name;
  };
  // Orange, RGB (255, 128, 0); in BT.601 limited range Y 151, U 44, V 194.
  const uint8_t r = 255, g = 128, b = 0, y = 151, u = 44, v = 194;
  constexpr uint32_t w = 64, h = 48;
  for (const Case c :
       {Case{VideoPixelFormat::I420, "I420"}, Case{VideoPixelFormat::NV12, "NV12"},
        Case{VideoPixelFormat::RGBA, "RGBA"}, Case{VideoPixelFormat::BGRA, "BGRA"}}) {
    SCOPED_TRACE(c.name);
    std::vector<uint8_t> data;
    switch (c.format) {
      case VideoPixelFormat::I420:
        data.assign(w * h, y);
        data.insert(data.end(), w * h / 4, u);
        data.insert(data.end(), w * h / 4, v);
        break;
      case VideoPixelFormat::NV12:
        data.assign(w * h, y);
        for (uint32_t i = 0; i < w * h / 4; ++i) data.insert(data.end(), {u, v});
        break;
      case VideoPixelFormat::RGBA:
        for (uint32_t i = 0; i < w * h; ++i) data.insert(data.end(), {r, g, b, 255});
        break;
      case VideoPixelFormat::BGRA:
        for (uint32_t i = 0; i < w * h; ++i) data.insert(data.end(), {b, g, r, 255});
        break;
    }
    auto generator = MediaStreamTrackGenerator::create("video");
    auto loop = std::make_shared<EventLoop>();
    MediaRecorder recorder(test::streamOf({generator}), {.mimeType = "video/webm;codecs=vp8"},
                           loop);
    test::EventLog log(recorder);
    recorder.start();
    std::thread writer([&] {
      for (int i = 0; i < 10; ++i) {
        // Both overloads: a frame the generator copies, and one whose bytes it takes over.
        const VideoFrame frame{c.format, w, h, i * 33333, 33333, data};
        if (i % 2)
          generator->write(frame);
        else
          generator->write(VideoFrame(frame));
      }
      generator->close();
    });
    ASSERT_TRUE(test::runUntil(
        *loop, [&] { return log.has("stop"); }, std::chrono::seconds(30)));
    writer.join();
    test::TempDir dir;
    const auto file = dir / "generated.webm";
    test::writeFile(file, Blob(log.blobs, recorder.mimeType()));
    EXPECT_EQ(test::ffprobeStreams(file, "v", "stream=width,height"), "64,48");
    EXPECT_EQ(test::videoKeyFrames(file).size(), 10u);
    const auto pixels = test::decodeFrameRgb(file, 9);
    ASSERT_EQ(pixels.size(), w * h * 3);
    const size_t centre = (h / 2 * w + w / 2) * 3;
    EXPECT_NEAR(pixels[centre], r, 12);
    EXPECT_NEAR(pixels[centre + 1], g, 12);
    EXPECT_NEAR(pixels[centre + 2], b, 12);
  }
}

TEST(VideoGenerator, ASizeChangeMidRecordingIsScaledToTheFirstSize) {
  auto generator = MediaStreamTrackGenerator::create("video");
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::streamOf({generator}), {.mimeType = "video/webm;codecs=vp9"}, loop);
  test::EventLog log(recorder);
  recorder.start();
  std::thread writer([&] {
    for (int i = 0; i < 20; ++i) {
      const uint32_t w = i < 10 ? 320 : 160, h = i < 10 ? 240 : 120;
      std::vector<uint8_t> rgba(size_t{w} * h * 4, 200);
      generator->write(VideoFrame{VideoPixelFormat::RGBA, w, h, i * 40000, std::nullopt, rgba});
    }
    generator->close();
  });
  ASSERT_TRUE(test::runUntil(
      *loop, [&] { return log.has("stop"); }, std::chrono::seconds(30)));
  writer.join();
  EXPECT_FALSE(log.has("error"));
  test::TempDir dir;
  const auto file = dir / "resized.webm";
  test::writeFile(file, Blob(log.blobs, recorder.mimeType()));
  EXPECT_EQ(test::ffprobeStreams(file, "v", "stream=width,height"), "320,240");
  EXPECT_EQ(test::videoKeyFrames(file).size(), 20u);
  const auto pixels = test::decodeFrameRgb(file, 19);
  ASSERT_EQ(pixels.size(), 320u * 240 * 3);
  EXPECT_NEAR(pixels[(120 * 320 + 160) * 3], 200, 12);
  // 25 frames per second from the timestamps: the last one starts at 0.76 s.
  const std::string times = test::ffprobeStreams(file, "v", "packet=pts_time");
  EXPECT_NEAR(std::atof(times.substr(times.find_last_of('\n') + 1).c_str()), 0.76, 0.0015);
}

TEST(VideoTracks, WhenTheVideoEndsTheAudioGoesOnUntilItEndsToo) {
  const auto rec = test::recordToEnd(
      test::streamOf(
          {offlinePattern(1), createToneTrack({.durationSeconds = 2, .realtime = false})}),
      {.mimeType = "video/webm;codecs=vp8,opus"}, 500);
  EXPECT_EQ(rec.events.back(), "stop");
  EXPECT_EQ(std::count(rec.events.begin(), rec.events.end(), "error"), 0);
  test::TempDir dir;
  const auto file = save(dir, rec);
  EXPECT_NEAR(test::streamEnd(file, "v"), 1.0, 0.034);
  EXPECT_NEAR(test::streamEnd(file, "a"), 2.0, 0.021);
}

// Realtime sources on the wall clock: each stream starts where its first media was captured,
// so the two start within one frame period (plus a 10 ms tick of the sources' clock) of each
// other: the first frame captured after the recording began.
TEST(VideoTracks, RealtimeAudioAndVideoStartTogether) {
  const auto rec = test::recordToEnd(
      test::streamOf({createTestPatternTrack({.width = 320, .height = 240}), createToneTrack()}),
      {.mimeType = "video/webm;codecs=vp8,opus"}, 1000, std::chrono::milliseconds(2500));
  EXPECT_EQ(rec.events.back(), "stop");
  test::TempDir dir;
  const auto file = save(dir, rec);
  const double videoStart = std::atof(test::ffprobeStreams(file, "v", "stream=start_time").c_str());
  // ffprobe puts the Opus stream's start before 0 by its pre-skip (CodecDelay); the first
  // sample heard is at 0.
  const double audioStart =
      std::atof(test::ffprobeStreams(file, "a", "stream=start_time").c_str()) + 0.0065;
  EXPECT_NEAR(videoStart, audioStart, 1 / 30.0 + 0.010);
  EXPECT_LT(std::min(videoStart, audioStart), 0.002) << "one of them starts the file";
  EXPECT_NEAR(test::streamEnd(file, "v"), test::streamEnd(file, "a"), 0.1);
  EXPECT_GT(test::streamEnd(file, "v"), 2.0);
}

TEST(VideoTracks, PauseCutsTheSpanOutOfBothStreams) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(
      test::streamOf({createTestPatternTrack({.width = 320, .height = 240}), createToneTrack()}),
      {.mimeType = "video/webm;codecs=vp8,opus"}, loop);
  test::EventLog log(recorder);
  recorder.start();
  test::runFor(*loop, std::chrono::milliseconds(1000));
  recorder.pause();
  test::runFor(*loop, std::chrono::milliseconds(1000));
  recorder.resume();
  test::runFor(*loop, std::chrono::milliseconds(1000));
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  test::TempDir dir;
  const auto file = dir / "paused.webm";
  test::writeFile(file, Blob(log.blobs, recorder.mimeType()));
  const double video = test::streamEnd(file, "v"), audio = test::streamEnd(file, "a");
  EXPECT_NEAR(video, 2.0, 0.25) << "the paused second is not in the file";
  EXPECT_NEAR(audio, video, 0.07);
  const auto decoded = test::decodeAll(file);
  EXPECT_EQ(decoded.output, "");
}

}  // namespace mrec
