// MP4: fragmented while recording (every Blob whole boxes, every prefix plays), finished in
// place by makeSeekable into a regular MP4 with no media copied; read by ffprobe/ffmpeg and
// GStreamer, which nobody here wrote.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <tuple>

#include "output/recording.h"
#include "support/event_log.h"
#include "support/media_tools.h"

namespace mrec {

namespace {

struct TopBox {
  std::string type;
  uint64_t offset = 0, size = 0;
};

uint64_t big(const std::vector<uint8_t>& bytes, size_t at, int count) {
  uint64_t value = 0;
  for (int i = 0; i < count; ++i) value = value << 8 | bytes.at(at + size_t(i));
  return value;
}

// The top-level boxes of `bytes`; the last one is cut short if `bytes` ends inside it.
std::vector<TopBox> topBoxes(const std::vector<uint8_t>& bytes, bool* whole = nullptr) {
  std::vector<TopBox> boxes;
  uint64_t at = 0;
  if (whole) *whole = true;
  while (at + 8 <= bytes.size()) {
    TopBox box{std::string(reinterpret_cast<const char*>(bytes.data() + at + 4), 4), at,
               big(bytes, at, 4)};
    if (box.size == 1) box.size = big(bytes, at + 8, 8);
    if (box.size < 8) break;
    boxes.push_back(box);
    at += box.size;
  }
  if (whole) *whole = at == bytes.size();
  return boxes;
}

std::vector<std::string> typesOf(const std::vector<TopBox>& boxes) {
  std::vector<std::string> types;
  for (const auto& box : boxes) types.push_back(box.type);
  return types;
}

bool contains(const std::vector<uint8_t>& bytes, const char* fourcc) {
  return std::search(bytes.begin(), bytes.end(), fourcc, fourcc + 4) != bytes.end();
}

std::shared_ptr<MediaStreamTrack> offlinePattern(double seconds) {
  return createTestPatternTrack(
      {.width = 320, .height = 240, .durationSeconds = seconds, .realtime = false});
}

struct Mp4Case {
  const char* type;
  bool video;
};

class EveryMp4Type : public testing::TestWithParam<Mp4Case> {};

}  // namespace

TEST_P(EveryMp4Type, IsFragmentedWhileRecordingAndFinishedInPlaceIntoARegularMp4) {
  const Mp4Case param = GetParam();
  if (!MediaRecorder::isTypeSupported(param.type)) GTEST_SKIP() << "not in this build";
  std::vector<std::shared_ptr<MediaStreamTrack>> tracks;
  if (param.video) tracks.push_back(offlinePattern(3));
  tracks.push_back(createToneTrack({.durationSeconds = 3, .realtime = false}));
  const auto rec = test::recordToEnd(test::streamOf(tracks), {.mimeType = param.type}, 1000);
  ASSERT_EQ(rec.events.back(), "stop");
  EXPECT_EQ(std::count(rec.events.begin(), rec.events.end(), "error"), 0);
  EXPECT_EQ(rec.mimeType.rfind(param.type, 0), 0u) << rec.mimeType;
  ASSERT_GE(rec.blobs.size(), 3u);

  // While recording: the first Blob is ftyp and a moov with mvex, then fragments; every other
  // Blob is whole moof+mdat pairs.
  test::TempDir dir;
  std::vector<uint8_t> prefix;
  for (size_t i = 0; i < rec.blobs.size(); ++i) {
    const auto bytes = rec.blobs[i].arrayBuffer();
    bool whole = false;
    const auto types = typesOf(topBoxes(bytes, &whole));
    EXPECT_TRUE(whole) << "Blob " << i << " ends inside a box";
    ASSERT_FALSE(types.empty());
    size_t first = 0;
    if (i == 0) {
      ASSERT_GE(types.size(), 2u);
      EXPECT_EQ(types[0], "ftyp");
      EXPECT_EQ(types[1], "moov");
      EXPECT_TRUE(contains(bytes, "mvex"));
      first = 2;
    }
    for (size_t b = first; b < types.size(); ++b)
      EXPECT_EQ(types[b], (b - first) % 2 == 0 ? "moof" : "mdat") << "Blob " << i;
    // Every prefix that ends at a Blob boundary plays, as far as it goes.
    prefix.insert(prefix.end(), bytes.begin(), bytes.end());
    const auto path = dir / ("prefix-" + std::to_string(i) + ".mp4");
    test::writeFile(path, prefix);
    std::string error;
    const auto samples = test::decodeMono(path, &error);
    EXPECT_EQ(error, "") << "prefix " << i;
    // A cut comes when the media of any track reaches the timeslice; the audio interleaved
    // behind the video may lag by a few of its frames.
    if (i + 1 < rec.blobs.size()) {
      EXPECT_NEAR(double(samples.size()) / 48000, double(i + 1), param.video ? 0.1 : 0.03)
          << "prefix " << i;
    }
  }

  const auto path = dir / "clip.mp4";
  test::writeFile(path, rec.file());
  if (param.video) {
    // Each Blob after the first starts its video with a key frame the recorder asked for, so
    // that the Blobs stream through MediaSource (docs/conformance.md decision 13).
    std::vector<uint64_t> sizes;
    for (const Blob& blob : rec.blobs) sizes.push_back(blob.size());
    EXPECT_EQ(test::blobsNotStartingWithAVideoKeyFrame(path, sizes), std::vector<size_t>{});
  }
  const auto before = test::readFile(path);
  makeSeekable(path);
  const auto after = test::readFile(path);
  const auto boxes = topBoxes(after);
  ASSERT_EQ(typesOf(boxes), (std::vector<std::string>{"ftyp", "free", "mdat", "moov"}));
  // No media moved: the bytes of the fragments are where they were, inside the one mdat.
  const uint64_t fragmentsStart = boxes[2].offset + 16;
  ASSERT_EQ(boxes[3].offset, before.size());
  EXPECT_TRUE(std::equal(before.begin() + long(fragmentsStart), before.end(),
                         after.begin() + long(fragmentsStart)));
  const auto moovBytes = std::vector<uint8_t>(after.begin() + long(boxes[3].offset), after.end());
  EXPECT_FALSE(contains(moovBytes, "mvex")) << "a regular movie";
  EXPECT_TRUE(contains(moovBytes, "stco"));

  // Durations right in every timescale: the movie, each track, the presented audio.
  EXPECT_EQ(test::ffprobe(path, "format=duration"), "3.000000");
  EXPECT_EQ(test::ffprobeStreams(path, "a", "stream=duration"), "3.000000");
  if (param.video) {
    EXPECT_EQ(test::ffprobeStreams(path, "v", "stream=duration"), "3.000000");
    EXPECT_EQ(test::ffprobeStreams(path, "v", "stream=nb_frames"), "90");
    EXPECT_TRUE(test::videoKeyFrames(path).front());
  }
  const auto check = test::decodeAll(path, "warning");
  EXPECT_EQ(check.status, 0);
  EXPECT_EQ(check.output, "") << "ffmpeg decodes every stream without a warning";
  // ffmpeg 5.1 trims the pre-skip (AAC's priming) through the edit list but not the last
  // frame's padding (its own MP4s decode the same way): at most one codec frame more, 20 ms
  // of Opus or 1024 samples of AAC.
  const double decoded = double(test::decodeMono(path).size()) / 48000;
  EXPECT_GE(decoded, 3.0);
  EXPECT_LT(decoded, 3.0 + 1024 / 48000.0);
  std::string discovered;
  EXPECT_NEAR(test::discoveredSeconds(path, &discovered), 3.0, 0.001) << discovered;

  makeSeekable(path);
  EXPECT_EQ(test::readFile(path), after) << "a finished MP4 is left as it is";
}

INSTANTIATE_TEST_SUITE_P(Mp4, EveryMp4Type,
                         testing::Values(Mp4Case{"audio/mp4;codecs=opus", false},
                                         Mp4Case{"audio/mp4;codecs=mp4a.40.2", false},
                                         Mp4Case{"video/mp4;codecs=avc1.42E01E,opus", true},
                                         Mp4Case{"video/mp4;codecs=avc1,mp4a.40.2", true},
                                         Mp4Case{"video/mp4;codecs=vp9,opus", true},
                                         Mp4Case{"video/mp4;codecs=av01,opus", true}),
                         [](const testing::TestParamInfo<Mp4Case>& test) {
                           std::string name = test.param.type;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(Mp4, AFileCutOffMidFragmentKeepsEveryWholeFragmentWhenFinished) {
  const auto rec = test::recordToEnd(test::createOfflineToneStream(4, 440),
                                     {.mimeType = "audio/mp4;codecs=opus"}, 1000);
  // Four one-second Blobs, then one with the last, padded Opus frame.
  ASSERT_EQ(rec.blobs.size(), 5u);
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i < 4; ++i) {
    const auto blob = rec.blobs[i].arrayBuffer();
    bytes.insert(bytes.end(), blob.begin(), blob.end());
  }
  // Cut in the middle of the fourth second's fragment, as SIGKILL would.
  bytes.resize(bytes.size() - rec.blobs[3].size() / 2);
  test::TempDir dir;
  const auto path = dir / "cut.mp4";
  test::writeFile(path, bytes);
  makeSeekable(path);
  EXPECT_EQ(typesOf(topBoxes(test::readFile(path))),
            (std::vector<std::string>{"ftyp", "free", "mdat", "moov"}));
  // Three whole one-second fragments, less the Opus pre-skip (312 samples).
  EXPECT_NEAR(std::atof(test::ffprobe(path, "format=duration").c_str()), 3 - 312 / 48000.0, 0.001);
  std::string error;
  test::decodeMono(path, &error);
  EXPECT_EQ(error, "");
}

TEST(Mp4, TheDefaultTypesCompleteWithTheContainersFirstCodecs) {
  const auto audio =
      test::recordToEnd(test::createOfflineToneStream(0.5, 440), {.mimeType = "audio/mp4"});
  // AAC when the build has it (API: H.264 with AAC-LC, Opus in a build without AAC).
  const bool aac = MediaRecorder::isTypeSupported("audio/mp4;codecs=mp4a.40.2");
  EXPECT_EQ(audio.mimeType, aac ? "audio/mp4;codecs=mp4a.40.2" : "audio/mp4;codecs=opus");
  const auto video = test::recordToEnd(
      test::streamOf(
          {offlinePattern(0.5), createToneTrack({.durationSeconds = 0.5, .realtime = false})}),
      {.mimeType = "video/mp4"});
  EXPECT_EQ(video.mimeType, aac ? "video/mp4;codecs=avc1,mp4a.40.2" : "video/mp4;codecs=avc1,opus");
  EXPECT_FALSE(MediaRecorder::isTypeSupported("audio/mp4;codecs=pcm"));
  EXPECT_FALSE(MediaRecorder::isTypeSupported("video/mp4;codecs=vp8"));
  EXPECT_TRUE(MediaRecorder::isTypeSupported("video/mp4;codecs=\"vp09.00.10.08, opus\""));
  EXPECT_TRUE(MediaRecorder::isTypeSupported("video/mp4;codecs=avc1.64001F,opus"));
  EXPECT_TRUE(MediaRecorder::isTypeSupported("video/mp4;codecs=h264"));
  EXPECT_FALSE(MediaRecorder::isTypeSupported("video/webm;codecs=avc1")) << "not in WebM";
}

namespace {
// The recording's Blobs as one file in `dir`, finished by makeSeekable as `mrec record` does.
std::filesystem::path finishedMp4(const test::Recording& rec, const test::TempDir& dir) {
  const auto path = dir / "finished.mp4";
  test::writeFile(path, rec.file());
  makeSeekable(path);
  return path;
}
}  // namespace

// OpenH264 places no key frame of its own: the recorder's options decide, in MP4 as in WebM.
TEST(Mp4, H264KeyFramesFollowTheRecordersOptions) {
  for (const auto& [options, expected] :
       {std::pair{MediaRecorderOptions{.mimeType = "video/mp4;codecs=avc1",
       .videoKeyFrameIntervalCount = 10},
                  9},
        std::pair{MediaRecorderOptions{.mimeType = "video/mp4;codecs=avc1",
        .videoKeyFrameIntervalDuration = 500},
                  6},
        // Every 2 s, and at each one-second Blob's start.
        std::pair{MediaRecorderOptions{.mimeType = "video/mp4;codecs=avc1"}, 3}}) {
    const auto rec = test::recordToEnd(test::streamOf({offlinePattern(3)}), options, 1000);
    test::TempDir dir;
    const auto path = finishedMp4(rec, dir);
    const auto keys = test::videoKeyFrames(path);
    ASSERT_EQ(keys.size(), 90u);
    EXPECT_EQ(std::count(keys.begin(), keys.end(), true), expected) << rec.mimeType;
    EXPECT_TRUE(keys[0]);
  }
}

// The profile and level of an avc1.PPCCLL string are the stream's, as ffprobe reads them from
// its SPS; a profile OpenH264 cannot encode, or a malformed string, is not recordable, so
// mimeType() never names a stream other than the one written.
TEST(Mp4, H264ProfileAndLevelStringsAreTheStreamsOwn) {
  for (const auto& [codec, profile, level] : {std::tuple{"avc1", "Constrained Baseline", ""},
                                              {"avc1.42E01E", "Constrained Baseline", "30"},
                                              {"avc1.4D401F", "Main", "31"},
                                              {"avc1.64001F", "High", "31"},
                                              {"avc1.640028", "High", "40"}}) {
    const std::string type = std::string("video/mp4;codecs=") + codec;
    const auto rec = test::recordToEnd(test::streamOf({offlinePattern(0.5)}), {.mimeType = type});
    EXPECT_EQ(rec.mimeType, type);
    test::TempDir dir;
    const auto path = finishedMp4(rec, dir);
    EXPECT_EQ(test::ffprobeStreams(path, "v", "stream=profile"), profile) << codec;
    if (*level) {
      EXPECT_EQ(test::ffprobeStreams(path, "v", "stream=level"), level) << codec;
    }
    EXPECT_EQ(test::ffprobeStreams(path, "v", "stream=nb_frames"), "15") << codec;
    const auto decoded = test::decodeAll(path, "warning");
    EXPECT_EQ(decoded.status, 0) << codec;
    EXPECT_EQ(decoded.output, "") << codec;
  }
  for (const char* codec : {"avc1.6E001E", "avc1.F4001F", "avc1.64001", "avc1.64001G",
                            "avc1.64001F00", "avc1.640035", "avc1."})
    EXPECT_FALSE(MediaRecorder::isTypeSupported(std::string("video/mp4;codecs=") + codec)) << codec;
  try {
    MediaRecorder recorder(test::streamOf({offlinePattern(0.5)}),
                           {.mimeType = "video/mp4;codecs=avc1.6E001E"});
    ADD_FAILURE() << "High 10 was accepted";
  } catch (const DOMException& e) {
    EXPECT_EQ(e.name(), "NotSupportedError");
    EXPECT_NE(e.message().find("Baseline (42), Main (4D) and High (64)"), std::string::npos)
        << e.message();
  }
}

}  // namespace mrec

namespace mrec {

// Another writer's fragments with B-frames: composition offsets that are not all 0 (mrec's own
// H.264 has none), so the finished file must carry them (ctts) and every frame keeps its time.
TEST(Mp4, AnotherWritersBFramesKeepTheirPresentationTimesWhenFinished) {
  test::TempDir dir;
  const auto path = dir / "bframes.mp4";
  const auto made = test::runCommand(
      "ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=160x120:rate=30 -t 2 -c:v libx264 "
      "-bf 2 -g 15 -pix_fmt yuv420p -movflags frag_keyframe+empty_moov+default_base_moof "
      "-f mp4 '" +
      path.string() + "'");
  ASSERT_EQ(made.status, 0) << made.output;
  const std::string entry = "frame=pts_time,pict_type";
  const auto framesBefore = test::runCommand("ffprobe -v error -select_streams v -show_entries " +
                                             entry + " -of csv=p=0 '" + path.string() + "'");
  ASSERT_EQ(framesBefore.status, 0) << framesBefore.output;
  ASSERT_NE(framesBefore.output.find("B"), std::string::npos) << "no B-frames to test with";
  makeSeekable(path);
  const auto bytes = test::readFile(path);
  EXPECT_EQ(typesOf(topBoxes(bytes)), (std::vector<std::string>{"ftyp", "free", "mdat", "moov"}));
  EXPECT_TRUE(contains(bytes, "ctts"));
  const auto framesAfter = test::runCommand("ffprobe -v error -select_streams v -show_entries " +
                                            entry + " -of csv=p=0 '" + path.string() + "'");
  EXPECT_EQ(framesAfter.output, framesBefore.output);
}

}  // namespace mrec
