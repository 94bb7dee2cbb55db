// WebM and Matroska as written by mrec, checked by Debian's libwebm parser and by ffmpeg.
#include <gtest/gtest.h>

#include <cmath>

#include "output/recording.h"
#include "support/media_tools.h"
#include "support/webm_inspector.h"

namespace mrec {

TEST(WebmOutput, OpusTrackCarriesItsDelayAndTheLastBlockItsPadding) {
  const auto rec =
      test::recordToEnd(test::createOfflineToneStream(2.5, 440), {.mimeType = "audio/webm"}, 1000);
  EXPECT_EQ(rec.mimeType, "audio/webm;codecs=opus");
  test::TempDir dir;
  test::writeFile(dir / "tone.webm", rec.file());
  const auto report = test::inspectWebm(dir / "tone.webm");
  EXPECT_TRUE(report.parsed) << report.parseStatus;
  EXPECT_EQ(report.docType, "webm");
  EXPECT_EQ(report.timecodeScale, 1000000u);
  EXPECT_EQ(report.tracks, 1);
  EXPECT_EQ(report.codecId, "A_OPUS");
  ASSERT_EQ(report.codecPrivate.size(), 19u);
  EXPECT_EQ(std::string(report.codecPrivate.begin(), report.codecPrivate.begin() + 8), "OpusHead");
  const uint32_t preSkip = report.codecPrivate[10] | report.codecPrivate[11] << 8;
  EXPECT_EQ(preSkip, 312u);
  EXPECT_EQ(report.codecDelayNs, preSkip * 1000000000ull / 48000);
  EXPECT_EQ(report.seekPreRollNs, 80000000u);
  EXPECT_EQ(report.samplingFrequency, 48000);
  EXPECT_EQ(report.channels, 1u);
  // 2.5 s + 6.5 ms of pre-skip in 20 ms packets: 126 blocks, the last one padded.
  ASSERT_EQ(report.blocks.size(), 126u);
  for (size_t i = 0; i + 1 < report.blocks.size(); ++i) {
    EXPECT_TRUE(report.blocks[i].simple);
    EXPECT_EQ(report.blocks[i].timecodeMs, int64_t(i) * 20);
  }
  ASSERT_FALSE(report.blocks.back().simple);
  ASSERT_TRUE(report.blocks.back().discardPaddingNs.has_value());
  EXPECT_EQ(*report.blocks.back().discardPaddingNs,
            (126 * 960 - 120000 - 312) * 1000000000ll / 48000);
  EXPECT_GE(report.clusters, 3) << "every Blob boundary starts a cluster";

  std::string error;
  const auto samples = test::decodeMono(dir / "tone.webm", &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(samples.size(), 120000u) << "decoded length equals recorded length to the sample";
  EXPECT_NEAR(test::zeroCrossingFrequency(samples, 48000), 440, 2);
}

TEST(WebmOutput, MatroskaDocTypeForXMatroska) {
  const auto rec =
      test::recordToEnd(test::createOfflineToneStream(1.0), {.mimeType = "video/x-matroska"});
  EXPECT_EQ(rec.mimeType, "video/x-matroska;codecs=opus");
  test::TempDir dir;
  test::writeFile(dir / "tone.mkv", rec.file());
  const auto report = test::inspectWebm(dir / "tone.mkv");
  EXPECT_TRUE(report.parsed) << report.parseStatus;
  EXPECT_EQ(report.docType, "matroska");
  const auto mkv = test::runCommand("mkvmerge -J '" + (dir / "tone.mkv").string() + "'");
  EXPECT_NE(mkv.output.find("\"codec_id\": \"A_OPUS\""), std::string::npos) << mkv.output;
  EXPECT_EQ(test::decodeMono(dir / "tone.mkv").size(), 48000u);
}

TEST(WebmOutput, PcmKeepsEverySampleAtTheSourceRate) {
  const auto rec = test::recordToEnd(test::createOfflineToneStream(1.5, 1000, 2, 44100),
                                     {.mimeType = "audio/webm;codecs=pcm"});
  test::TempDir dir;
  test::writeFile(dir / "pcm.webm", rec.file());
  const auto report = test::inspectWebm(dir / "pcm.webm");
  EXPECT_TRUE(report.parsed) << report.parseStatus;
  EXPECT_EQ(report.codecId, "A_PCM/FLOAT/IEEE");
  EXPECT_EQ(report.samplingFrequency, 44100);
  EXPECT_EQ(report.channels, 2u);
  EXPECT_EQ(report.bitDepth, 32u);
  const auto samples = test::decodeNative(dir / "pcm.webm", 2, 44100);
  ASSERT_EQ(samples.size(), 2u * 66150u);
  // Lossless: the decoded samples are the tone's own values.
  for (size_t i = 0; i < 200; ++i)
    EXPECT_NEAR(samples[2 * i], 0.5 * std::sin(2 * 3.14159265358979 * 1000 * double(i) / 44100),
                1e-6);
}

TEST(WebmOutput, EveryPrefixEndingAtABlobBoundaryDecodes) {
  const auto rec =
      test::recordToEnd(test::createOfflineToneStream(2.0), {.mimeType = "video/webm"}, 250);
  ASSERT_GE(rec.blobs.size(), 8u);
  test::TempDir dir;
  for (size_t n = 1; n <= rec.blobs.size(); ++n) {
    const std::vector<Blob> prefix(rec.blobs.begin(), rec.blobs.begin() + static_cast<long>(n));
    const auto path = dir / ("prefix" + std::to_string(n) + ".webm");
    test::writeFile(path, Blob(prefix));
    std::string error;
    test::decodeMono(path, &error);
    EXPECT_EQ(error, "") << "prefix of " << n << " blobs";
    EXPECT_TRUE(test::inspectWebm(path).parsed) << "prefix of " << n << " blobs";
  }
}

}  // namespace mrec
