// makeSeekable: Duration, Cues and SeekHead, checked by libwebm's parser and ffmpeg.
#include <gtest/gtest.h>

#include <fstream>

#include "output/recording.h"
#include "support/event_log.h"
#include "support/media_tools.h"
#include "support/webm_inspector.h"

namespace mrec {

namespace {

std::filesystem::path recordWebm(const test::TempDir& dir, double seconds, uint32_t timeslice) {
  const auto rec = test::recordToEnd(test::createOfflineToneStream(seconds, 440),
                                     {.mimeType = "audio/webm"}, timeslice);
  const auto path = dir / "tone.webm";
  test::writeFile(path, rec.file());
  return path;
}

// Every cue points at a cluster that starts at the cue's time.
void expectCuesIndexClusters(const test::WebmReport& report) {
  ASSERT_FALSE(report.cues.empty());
  for (const auto& cue : report.cues) {
    EXPECT_EQ(cue.track, 1u);
    const auto at = std::find(report.clusterPositions.begin(), report.clusterPositions.end(),
                              cue.clusterPosition);
    ASSERT_NE(at, report.clusterPositions.end()) << "cue at " << cue.clusterPosition;
  }
}
}  // namespace

TEST(MakeSeekable, MrecsOwnWebmIsCompletedInPlace) {
  test::TempDir dir;
  const auto path = recordWebm(dir, 7.0, 1000);
  EXPECT_EQ(test::ffprobe(path, "format=duration"), "N/A") << "written live: no duration yet";
  const auto before = test::readFile(path);
  makeSeekable(path);
  const auto after = test::readFile(path);

  EXPECT_EQ(test::ffprobe(path, "format=duration"), "7.000000");
  const auto report = test::inspectWebm(path);
  ASSERT_TRUE(report.parsed) << report.parseStatus;
  ASSERT_TRUE(report.duration.has_value());
  EXPECT_DOUBLE_EQ(*report.duration, 7000.0) << "the presented length: CodecDelay taken off";
  EXPECT_EQ(report.cues.size(), size_t(report.clusters));
  expectCuesIndexClusters(report);
  ASSERT_EQ(report.seeks.size(), 3u);  // Info, Tracks, Cues
  // In place: nothing moved. Only the reserved room (SeekHead 96 bytes, Duration 11), the
  // Segment's and each Cluster's 8-byte size changed, and the Cues were appended.
  ASSERT_GT(after.size(), before.size());
  size_t changed = 0;
  for (size_t i = 0; i < before.size(); ++i) changed += before[i] != after[i];
  EXPECT_LE(changed, 96u + 11u + 8u + 8u * size_t(report.clusters));
  EXPECT_GT(changed, 0u);
  EXPECT_EQ(test::decodeMono(path).size(), 7u * 48000) << "still every sample, no more";

  makeSeekable(path);
  EXPECT_EQ(test::readFile(path), after) << "a seekable file is left as it is";

  // A player seeks by the index: decoding from 3.5 s gives the rest.
  const auto tail = test::runCommand("ffmpeg -v error -ss 3.5 -i '" + path.string() +
                                     "' -f f32le -ac 1 - | wc -c");
  EXPECT_NEAR(std::stod(tail.output) / 4 / 48000, 3.5, 0.03);
}

TEST(MakeSeekable, ACutOffFileIsRewrittenUpToItsLastWholeBlock) {
  test::TempDir dir;
  const auto full = recordWebm(dir, 6.0, 1000);
  auto bytes = test::readFile(full);
  bytes.resize(bytes.size() * 2 / 3);  // a crash mid-write
  const auto cut = dir / "cut.webm";
  test::writeFile(cut, bytes);
  makeSeekable(cut);
  const auto report = test::inspectWebm(cut);
  ASSERT_TRUE(report.parsed) << report.parseStatus;
  ASSERT_TRUE(report.duration.has_value());
  expectCuesIndexClusters(report);
  std::string error;
  const auto samples = test::decodeMono(cut, &error);
  EXPECT_EQ(error, "") << "no partial block is left";
  EXPECT_NEAR(*report.duration / 1000, double(samples.size()) / 48000, 0.021);
  EXPECT_GT(samples.size(), 3u * 48000);
}

TEST(MakeSeekable, OggIsLeftAloneAndBadInputIsAnErrorThatTouchesNothing) {
  test::TempDir dir;
  const auto rec = test::recordToEnd(test::createOfflineToneStream(1.0, 440), {}, 0);
  const auto ogg = dir / "a.ogg";
  test::writeFile(ogg, rec.file());
  const auto oggBytes = test::readFile(ogg);
  makeSeekable(ogg);
  EXPECT_EQ(test::readFile(ogg), oggBytes);

  const auto junk = dir / "junk.webm";
  test::writeFile(junk, std::vector<uint8_t>{0x1A, 0x45, 0xDF, 0xA3, 0x85, 1, 2});
  EXPECT_EQ(test::thrownName([&] { makeSeekable(junk); }), "EncodingError");
  EXPECT_EQ(test::readFile(junk), (std::vector<uint8_t>{0x1A, 0x45, 0xDF, 0xA3, 0x85, 1, 2}));
  const auto text = dir / "notes.txt";
  test::writeFile(text, std::vector<uint8_t>{'h', 'i'});
  EXPECT_EQ(test::thrownName([&] { makeSeekable(text); }), "EncodingError");
  EXPECT_EQ(test::thrownName([&] { makeSeekable(dir / "missing.webm"); }), "NotReadableError");
}

}  // namespace mrec
