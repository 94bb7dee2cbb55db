// getDisplayMedia against a real X server: Xvfb started by the test, painted with xsetroot,
// recorded, and the decoded pictures checked for the colour on the screen.
#include <gtest/gtest.h>
#include <mrec/mrec.h>

#include <cstdlib>

#include "output/recording.h"
#include "support/event_log.h"
#include "support/media_tools.h"
#include "support/xvfb.h"

namespace mrec {

namespace {

void expectColour(const std::vector<uint8_t>& rgb, int r, int g, int b) {
  ASSERT_GE(rgb.size(), 3u);
  const size_t centre = rgb.size() / 2 / 3 * 3;
  EXPECT_NEAR(rgb[centre], r, 12);
  EXPECT_NEAR(rgb[centre + 1], g, 12);
  EXPECT_NEAR(rgb[centre + 2], b, 12);
}

}  // namespace

TEST(ScreenCapture, WithoutADisplayItIsNotFoundError) {
  const char* saved = std::getenv("DISPLAY");
  const std::string keep = saved ? saved : "";
  unsetenv("DISPLAY");
  EXPECT_EQ(test::thrownName([] { mediaDevices::getDisplayMedia(); }), "NotFoundError");
  if (saved) setenv("DISPLAY", keep.c_str(), 1);
  EXPECT_THROW(mediaDevices::getDisplayMedia({.video = false}), TypeError);
}

TEST(ScreenCapture, RecordsWhatTheScreenShows) {
  test::Xvfb xvfb(320, 240);
  ASSERT_TRUE(xvfb.running()) << "Xvfb did not start";
  ASSERT_TRUE(xvfb.paint("#ff8000"));
  auto stream = mediaDevices::getDisplayMedia();
  ASSERT_EQ(stream->getVideoTracks().size(), 1u);
  const auto settings = stream->getVideoTracks()[0]->getSettings();
  EXPECT_EQ(settings.width, 320u);
  EXPECT_EQ(settings.height, 240u);
  EXPECT_EQ(stream->getVideoTracks()[0]->kind(), "video");

  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(stream, {}, loop);
  test::EventLog log(recorder);
  recorder.start(500);
  test::runFor(*loop, std::chrono::milliseconds(1000));
  ASSERT_TRUE(xvfb.paint("#0040ff"));  // the screen changes while it is recorded
  test::runFor(*loop, std::chrono::milliseconds(1000));
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_FALSE(log.has("error"));
  EXPECT_EQ(recorder.mimeType(), "");
  ASSERT_FALSE(log.blobs.empty());
  EXPECT_EQ(log.blobs.front().type(), "video/webm;codecs=vp8");

  test::TempDir dir;
  const auto file = dir / "screen.webm";
  test::writeFile(file, Blob(log.blobs, "video/webm"));
  expectColour(test::decodeFrameRgb(file, 0), 255, 128, 0);
  expectColour(test::decodeFrameRgb(file, -1), 0, 64, 255);
  const double frames =
      std::atof(test::runCommand("ffprobe -v error -count_frames -select_streams v -show_entries "
                                 "stream=nb_read_frames -of csv=p=0 '" +
                                 file.string() + "'")
                    .output.c_str());
  EXPECT_GT(frames, 30) << "about 30 frames a second for 2 s";
  for (auto& track : stream->getTracks()) track->stop();
}

TEST(ScreenCapture, MrecRecordsTheScreen) {
  test::Xvfb xvfb(160, 120);
  ASSERT_TRUE(xvfb.running());
  ASSERT_TRUE(xvfb.paint("#00ff00"));
  test::TempDir dir;
  const auto file = dir / "screen.mkv";
  const auto result =
      test::runCommand(std::string("'") + MREC_CLI_PATH +
                       "' record -q --video screen --duration 1 -o '" + file.string() + "'");
  ASSERT_EQ(result.status, 0) << result.output;
  EXPECT_EQ(test::ffprobe(file, "stream=codec_name"), "vp8");
  expectColour(test::decodeFrameRgb(file, 0), 0, 255, 0);
}

}  // namespace mrec
