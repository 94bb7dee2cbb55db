// makeSeekable: Duration, Cues and SeekHead, checked by libwebm's parser and ffmpeg.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

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
double decodedSeconds(const std::filesystem::path& path) {
  return double(test::decodeMono(path).size()) / 48000;
}

// A WebM written by ffmpeg: clusters of known size and Cues at the end.
std::filesystem::path ffmpegWebm(const test::TempDir& dir, int seconds, const std::string& codec) {
  const auto path = dir / ("ffmpeg-" + codec + ".webm");
  const auto made = test::runCommand(
      "ffmpeg -nostdin -v error -f lavfi -i sine=f=440:d=" + std::to_string(seconds) +
      ":r=48000 -c:a " + codec + " '" + path.string() + "'");
  EXPECT_EQ(made.status, 0) << made.output;
  return path;
}

// Clears the key-frame flag of every SimpleBlock (as Firefox writes its audio), and cuts the
// file before its Cues. Walks only what ffmpeg writes: known sizes, 1-byte track numbers.
std::vector<uint8_t> withoutKeyFlagsOrCues(std::vector<uint8_t> bytes) {
  struct Element {
    uint64_t id, data, size;
  };
  auto element = [&](uint64_t at) {
    auto vint = [&](bool keepMarker) {
      size_t length = 1;
      while (length < 8 && !(bytes[at] & (0x80 >> (length - 1)))) ++length;
      uint64_t value = keepMarker ? bytes[at] : bytes[at] & (0xFF >> length);
      for (size_t i = 1; i < length; ++i) value = value << 8 | bytes[at + i];
      at += length;
      return value;
    };
    const uint64_t id = vint(true);
    const uint64_t size = vint(false);
    return Element{id, at, size};
  };
  const auto header = element(0);
  EXPECT_EQ(header.id, 0x1A45DFA3u);
  const auto segment = element(header.data + header.size);
  for (uint64_t at = segment.data; at < bytes.size();) {
    const auto e = element(at);
    if (e.id == 0x1C53BB6B) {  // Cues
      bytes.resize(at);
      break;
    }
    if (e.id == 0x1F43B675)  // Cluster
      for (uint64_t child = e.data; child < e.data + e.size;) {
        const auto block = element(child);
        if (block.id == 0xA3) bytes[block.data + 3] &= 0x7F;  // SimpleBlock flags
        child = block.data + block.size;
      }
    at = e.data + e.size;
  }
  return bytes;
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

// A size field that runs past the end of the file means "read to the end": a file missing its
// last byte once went from 10 s to its first cluster, and an ffmpeg file cut at 75 % to 5 s.
TEST(MakeSeekable, ASizePastTheEndOfTheFileReadsToTheEnd) {
  test::TempDir dir;
  const auto own = recordWebm(dir, 10.0, 1000);
  makeSeekable(own);
  auto bytes = test::readFile(own);
  bytes.pop_back();  // a byte of the Cues: the Segment's size now runs past the end
  test::writeFile(own, bytes);
  makeSeekable(own);
  EXPECT_EQ(test::ffprobe(own, "format=duration"), "10.000000");
  EXPECT_EQ(test::decodeMono(own).size(), 10u * 48000);
  expectCuesIndexClusters(test::inspectWebm(own));

  const auto theirs = ffmpegWebm(dir, 20, "libopus");
  bytes = test::readFile(theirs);
  bytes.resize(bytes.size() * 3 / 4);  // inside a cluster of known size
  test::writeFile(theirs, bytes);
  makeSeekable(theirs);
  std::string error;
  const auto samples = test::decodeMono(theirs, &error);
  EXPECT_EQ(error, "");
  EXPECT_GT(double(samples.size()) / 48000, 14.5) << "everything up to the cut";
  EXPECT_NEAR(std::stod(test::ffprobe(theirs, "format=duration")), double(samples.size()) / 48000,
              0.03);
}

// Damage in the middle (a cluster's header overwritten) loses that cluster, not the rest.
TEST(MakeSeekable, MediaAfterDamageIsKept) {
  test::TempDir dir;
  const auto path = recordWebm(dir, 10.0, 1000);
  makeSeekable(path);
  auto bytes = test::readFile(path);
  const uint8_t clusterId[] = {0x1F, 0x43, 0xB6, 0x75};
  const auto at = std::search(bytes.begin() + long(bytes.size() * 2 / 5), bytes.end(),
                              std::begin(clusterId), std::end(clusterId));
  ASSERT_NE(at, bytes.end());
  std::fill(at, at + 12, 0xFF);
  test::writeFile(path, bytes);
  makeSeekable(path);
  EXPECT_EQ(test::ffprobe(path, "format=duration"), "10.000000") << "the timeline is kept";
  EXPECT_NEAR(decodedSeconds(path), 9.0, 0.05) << "one cluster of ten is lost, no more";
}

// Firefox flags none of its audio blocks as key frames; every audio block is a random access
// point all the same, and gets a cue point at most once a second.
TEST(MakeSeekable, AudioBlocksWithoutKeyFlagsAreIndexed) {
  test::TempDir dir;
  const auto path = ffmpegWebm(dir, 30, "libopus");
  test::writeFile(path, withoutKeyFlagsOrCues(test::readFile(path)));
  ASSERT_EQ(test::inspectWebm(path).cues.size(), 0u);
  makeSeekable(path);
  const auto report = test::inspectWebm(path);
  ASSERT_TRUE(report.parsed) << report.parseStatus;
  EXPECT_GE(report.cues.size(), 5u);
  EXPECT_LE(report.cues.size(), 31u);
  for (size_t i = 1; i < report.cues.size(); ++i)
    EXPECT_GE(report.cues[i].time - report.cues[i - 1].time, 1000u) << "at most one a second";
}

// A PCM block's length is in its payload, not in the gap before it: a short last block ends
// the file where its samples end.
TEST(MakeSeekable, PcmBlocksLastAsLongAsTheirSamples) {
  test::TempDir dir;
  const auto rec = test::recordToEnd(test::createOfflineToneStream(1.005, 440),
                                     {.mimeType = "audio/webm;codecs=pcm"}, 1000);
  const auto path = dir / "pcm.webm";
  test::writeFile(path, rec.file());
  makeSeekable(path);
  const auto report = test::inspectWebm(path);
  ASSERT_TRUE(report.duration.has_value());
  EXPECT_NEAR(*report.duration, 1005.0, 0.5);
  EXPECT_EQ(test::decodeMono(path).size(), 48240u);
}

TEST(MakeSeekable, AFileWithNoMediaIsRefusedAndLeftAsItIs) {
  test::TempDir dir;
  const auto path = recordWebm(dir, 2.0, 1000);
  auto bytes = test::readFile(path);
  const uint8_t clusterId[] = {0x1F, 0x43, 0xB6, 0x75};
  bytes.erase(std::search(bytes.begin(), bytes.end(), std::begin(clusterId), std::end(clusterId)),
              bytes.end());
  test::writeFile(path, bytes);
  EXPECT_EQ(test::thrownName([&] { makeSeekable(path); }), "EncodingError");
  EXPECT_EQ(test::readFile(path), bytes);
}

// A file rewritten through a temporary one is still the user's: its mode, a symbolic link to
// it, and its other hard links all lead to the fixed file.
TEST(MakeSeekable, ARewrittenFileKeepsItsModeLinksAndSymlinks) {
  test::TempDir dir;
  const auto path = ffmpegWebm(dir, 3, "libopus");
  const auto cutBytes = [&] {
    auto bytes = test::readFile(path);
    bytes.resize(bytes.size() * 3 / 4);
    return bytes;
  }();
  test::writeFile(path, cutBytes);
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  const auto link = dir / "link.webm", hard = dir / "hard.webm";
  std::filesystem::create_symlink(path.filename(), link);
  std::filesystem::create_hard_link(path, hard);

  makeSeekable(link);
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  struct stat fixed {};
  ASSERT_EQ(::stat(path.c_str(), &fixed), 0);
  EXPECT_EQ(fixed.st_mode & 07777, 0640u);
  EXPECT_EQ(fixed.st_nlink, 2u);
  EXPECT_NE(test::readFile(hard), cutBytes) << "the other name sees the fixed file";
  EXPECT_EQ(test::readFile(hard), test::readFile(path));
  EXPECT_NE(test::ffprobe(hard, "format=duration"), "N/A");

  std::filesystem::remove(hard);
  test::writeFile(path, cutBytes);
  makeSeekable(path);
  ASSERT_EQ(::stat(path.c_str(), &fixed), 0);
  EXPECT_EQ(fixed.st_mode & 07777, 0640u) << "replaced by rename, mode kept";
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    left.push_back(entry.path().filename().string());
  EXPECT_EQ(left.size(), 2u) << "no temporary file is left";
}

}  // namespace mrec
