// Ogg Opus as written by mrec, checked by ffmpeg, ffprobe and opusinfo (RFC 7845).
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "output/recording.h"
#include "support/media_tools.h"

namespace mrec {

namespace {
constexpr uint32_t kLibopusLookahead = 312;  // 6.5 ms at 48 kHz, OPUS_APPLICATION_AUDIO
}

TEST(OggOpusOutput, ToneDecodesToItsFrequencyAndExactLength) {
  const auto rec = test::recordToEnd(test::createOfflineToneStream(3.0, 440), {});
  test::TempDir dir;
  test::writeFile(dir / "tone.ogg", rec.file());
  std::string error;
  const auto samples = test::decodeMono(dir / "tone.ogg", &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(samples.size(), 144000u) << "3 s at 48 kHz, to the sample";
  EXPECT_NEAR(test::zeroCrossingFrequency(samples, 48000), 440, 2);
  EXPECT_NEAR(std::stod(test::ffprobe(dir / "tone.ogg", "format=duration")), 3.0, 0.02);
  EXPECT_EQ(test::ffprobe(dir / "tone.ogg", "stream=codec_name"), "opus");
}

TEST(OggOpusOutput, OpusinfoAcceptsTheStreamWithRealPreSkipAndTags) {
  const auto rec = test::recordToEnd(test::createOfflineToneStream(2.0, 440, 2), {});
  test::TempDir dir;
  test::writeFile(dir / "tone.ogg", rec.file());
  const auto info = test::runCommand("opusinfo '" + (dir / "tone.ogg").string() + "'");
  EXPECT_EQ(info.status, 0) << info.output;
  EXPECT_EQ(info.output.find("WARNING"), std::string::npos) << info.output;
  EXPECT_EQ(info.output.find("ERROR"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("Pre-skip: " + std::to_string(kLibopusLookahead)), std::string::npos)
      << info.output;
  EXPECT_NE(info.output.find("Channels: 2"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("ENCODER=mrec"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("Playback length: 0m:02.000s"), std::string::npos) << info.output;
}

TEST(OggOpusOutput, EveryPrefixEndingAtABlobBoundaryDecodes) {
  const auto rec = test::recordToEnd(test::createOfflineToneStream(3.0), {}, 500);
  ASSERT_GE(rec.blobs.size(), 6u);
  test::TempDir dir;
  for (size_t n = 1; n <= rec.blobs.size(); ++n) {
    const std::vector<Blob> prefix(rec.blobs.begin(), rec.blobs.begin() + static_cast<long>(n));
    const auto path = dir / ("prefix" + std::to_string(n) + ".ogg");
    test::writeFile(path, Blob(prefix));
    std::string error;
    const auto samples = test::decodeMono(path, &error);
    EXPECT_EQ(error, "") << "prefix of " << n << " blobs";
    EXPECT_GT(samples.size(), 0u) << "prefix of " << n << " blobs";
  }
}

TEST(OggOpusOutput, StereoInputAt44100IsResampledWithExactLength) {
  const auto rec = test::recordToEnd(test::createOfflineToneStream(2.0, 1000, 2, 44100), {});
  test::TempDir dir;
  test::writeFile(dir / "resampled.ogg", rec.file());
  const auto samples = test::decodeMono(dir / "resampled.ogg");
  EXPECT_EQ(samples.size(), 96000u);
  EXPECT_NEAR(test::zeroCrossingFrequency(samples, 48000), 1000, 2);
  const auto info = test::runCommand("opusinfo '" + (dir / "resampled.ogg").string() + "'");
  EXPECT_NE(info.output.find("Original sample rate: 44100"), std::string::npos) << info.output;
}

TEST(OggOpusOutput, ConstantBitrateModeGivesEqualPackets) {
  const auto cbr =
      test::recordToEnd(test::createOfflineToneStream(2.0),
                        {.audioBitsPerSecond = 64000, .audioBitrateMode = BitrateMode::Constant});
  test::TempDir dir;
  test::writeFile(dir / "cbr.ogg", cbr.file());
  const auto sizes = test::runCommand(
      "ffprobe -v error -select_streams a -show_entries packet=size "
      "-of csv=p=0 '" +
      (dir / "cbr.ogg").string() + "'");
  std::istringstream lines(sizes.output);
  std::set<int> distinct;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) distinct.insert(std::stoi(line));
  // 64 kb/s in 20 ms frames: 160 bytes each (hard CBR).
  EXPECT_EQ(distinct, (std::set<int>{160}));
}

TEST(OggOpusOutput, BitrateIsHonoured) {
  for (uint32_t bitrate : {32000u, 96000u}) {
    SCOPED_TRACE(bitrate);
    const auto rec = test::recordToEnd(
        test::createOfflineToneStream(10.0),
        {.audioBitsPerSecond = bitrate, .audioBitrateMode = BitrateMode::Constant});
    const double bitsPerSecond = double(rec.file().size()) * 8 / 10.0;
    EXPECT_NEAR(bitsPerSecond, bitrate, bitrate * 0.1);
  }
}

}  // namespace mrec
