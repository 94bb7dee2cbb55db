// The interoperability matrix (issue 18, point 4), its half that needs no browser: every type
// mrec records, as a finished file and as a file cut off mid-Blob (what SIGKILL leaves: a
// prefix of what was written) then repaired, read by readers nobody here wrote: ffprobe and
// ffmpeg, GStreamer's discoverer, and, for WebM and Matroska, Debian's libwebm parser.
//
// The types are every type isTypeSupported() accepts that names its codecs; the stream holds
// exactly the kinds the type names, so "video/webm;codecs=vp8" is a video-only file and
// "video/webm;codecs=opus" an audio-only one. A bare essence records what its default codecs
// record (Mp4.TheDefaultTypesCompleteWithTheContainersFirstCodecs and the WebM defaults test).
#include <gtest/gtest.h>

#include <mrec/formats.h>
#include <mrec/seekable.h>

#include <cctype>
#include <cstdlib>
#include <sstream>

#include "output/recording.h"
#include "support/event_log.h"
#include "support/media_tools.h"
#include "support/webm_inspector.h"

namespace mrec {

namespace {

constexpr double kSeconds = 1.5;
constexpr uint32_t kTimeslice = 500;

struct Kinds {
  bool audio = false, video = false;
};

// The kinds a type's codecs parameter names.
Kinds kindsNamed(const std::string& type) {
  Kinds kinds;
  const auto at = type.find("codecs=");
  std::string codecs = type.substr(at + 7) + ",";
  for (size_t start = 0, comma; (comma = codecs.find(',', start)) != std::string::npos;
       start = comma + 1) {
    const std::string codec = codecs.substr(start, comma - start);
    const bool video = codec.rfind("vp8", 0) == 0 || codec.rfind("vp9", 0) == 0 ||
                       codec.rfind("av1", 0) == 0 || codec.rfind("avc1", 0) == 0;
    (video ? kinds.video : kinds.audio) = true;
  }
  return kinds;
}

std::vector<std::string> typesNamingTheirCodecs() {
  std::vector<std::string> types;
  for (const auto& type : recordableTypes())
    if (type.find("codecs=") != std::string::npos) types.push_back(type);
  return types;
}

// `output` without ffmpeg's "Guessed Channel Layout for Input Stream #0.N : mono" lines.
std::string withoutGuessedMonoLayouts(const std::string& output) {
  static const std::string kStart = "Guessed Channel Layout for Input Stream #0.";
  std::istringstream lines(output);
  std::string kept;
  for (std::string line; std::getline(lines, line);) {
    const bool guessed = line.rfind(kStart, 0) == 0 && line.size() == kStart.size() + 8 &&
                         std::isdigit(static_cast<unsigned char>(line[kStart.size()])) &&
                         line.compare(kStart.size() + 1, 7, " : mono") == 0;
    if (!guessed) kept += line + "\n";
  }
  return kept;
}

// What every reader must find in `path`: the streams named, a duration within `tolerance` of
// `seconds`, decoding with no warning, and for WebM/Matroska a Duration and Cues that
// libwebm parses.
void expectReadByEveryone(const std::filesystem::path& path, const Kinds& kinds, double seconds,
                          double tolerance, bool matroskaFamily) {
  SCOPED_TRACE(path.filename().string());
  EXPECT_EQ(test::ffprobeStreams(path, "v", "stream=codec_type").empty(), !kinds.video);
  EXPECT_EQ(test::ffprobeStreams(path, "a", "stream=codec_type").empty(), !kinds.audio);
  EXPECT_NEAR(std::atof(test::ffprobe(path, "format=duration").c_str()), seconds, tolerance)
      << "ffprobe";
  const auto decoded = test::decodeAll(path, "warning");
  EXPECT_EQ(decoded.status, 0);
  // PCM carries no channel layout in Matroska, and ffmpeg says it guessed one for every PCM
  // stream without it: for its own PCM Matroska files and for WAV files the same.
  EXPECT_EQ(withoutGuessedMonoLayouts(decoded.output), "")
      << "ffmpeg decodes every stream without a warning";

  std::string said;
  EXPECT_NEAR(test::discoveredSeconds(path, &said), seconds, tolerance)
      << "gst-discoverer: " << said;
  EXPECT_EQ(said.find("rror"), std::string::npos) << said;
  EXPECT_NE(said.find("Seekable: yes"), std::string::npos) << said;

  if (!matroskaFamily) return;
  const auto report = test::inspectWebm(path);
  ASSERT_TRUE(report.parsed) << "libwebm: " << report.parseStatus;
  ASSERT_TRUE(report.duration.has_value()) << "a Duration";
  EXPECT_NEAR(*report.duration * double(report.timecodeScale) / 1e9, seconds, tolerance);
  EXPECT_FALSE(report.cues.empty()) << "Cues to seek with";
}

class InteropMatrix : public testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(InteropMatrix, FinishedAndCutOffFilesAreReadByFfmpegGstreamerAndLibwebm) {
  const std::string type = GetParam();
  const Kinds kinds = kindsNamed(type);
  const auto container = containerForType(type);
  ASSERT_TRUE(container.has_value());
  const bool matroskaFamily = container->extension == "webm" || container->extension == "mkv";

  std::vector<std::shared_ptr<MediaStreamTrack>> tracks;
  if (kinds.video)
    tracks.push_back(createTestPatternTrack(
        {.width = 160, .height = 120, .durationSeconds = kSeconds, .realtime = false}));
  if (kinds.audio)
    tracks.push_back(createToneTrack({.durationSeconds = kSeconds, .realtime = false}));
  const auto rec = test::recordToEnd(test::streamOf(tracks), {.mimeType = type}, kTimeslice);
  ASSERT_FALSE(rec.events.empty());
  ASSERT_EQ(rec.events.back(), "stop");
  ASSERT_EQ(std::count(rec.events.begin(), rec.events.end(), "error"), 0);
  ASSERT_GE(rec.blobs.size(), 3u);

  test::TempDir dir;
  const auto finished = dir / ("finished." + container->extension);
  test::writeFile(finished, rec.file());
  makeSeekable(finished);
  // Ogg's granule counts Opus's pre-skip, which ffmpeg 5.1 adds to the duration (6.5 ms).
  expectReadByEveryone(finished, kinds, kSeconds, 0.025, matroskaFamily);

  // Cut in the middle of the third Blob: the first two are whole, as every Blob boundary of a
  // live file is crash-safe; the repair keeps them and drops what the cut left unfinished.
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i < 2; ++i) {
    const auto blob = rec.blobs[i].arrayBuffer();
    bytes.insert(bytes.end(), blob.begin(), blob.end());
  }
  // The whole Blobs alone, finished too: ffmpeg 5.1 does not trim AAC's priming from a
  // fragmented prefix (1.023 s) as it does from the finished file (1.003 s), so only two
  // finished files compare.
  const auto wholeBlobs = dir / ("whole-blobs." + container->extension);
  test::writeFile(wholeBlobs, bytes);
  makeSeekable(wholeBlobs);
  const auto third = rec.blobs[2].arrayBuffer();
  bytes.insert(bytes.end(), third.begin(), third.begin() + long(third.size() / 2));
  const auto cut = dir / ("cut." + container->extension);
  test::writeFile(cut, bytes);
  makeSeekable(cut);
  if (kinds.audio) {
    const double kept = double(test::decodeMono(wholeBlobs).size()) / 48000;
    const double repaired = double(test::decodeMono(cut).size()) / 48000;
    EXPECT_GE(repaired, kept - 0.001) << "every whole Blob's audio is kept";
    EXPECT_LE(repaired, kSeconds);
  }
  // Two of three half-second Blobs, give or take the frames interleaving holds back.
  expectReadByEveryone(cut, kinds, 2 * kTimeslice / 1000.0, 0.5, matroskaFamily);
}

INSTANTIATE_TEST_SUITE_P(EveryType, InteropMatrix, testing::ValuesIn(typesNamingTheirCodecs()),
                         [](const testing::TestParamInfo<std::string>& test) {
                           std::string name = test.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace mrec
