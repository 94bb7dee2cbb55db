// Video in WebM and Matroska: every supported video type, checked with ffprobe, ffmpeg and
// Debian's libwebm parser. Offline sources make these quick and exact.
#include <gtest/gtest.h>
#include <mrec/seekable.h>

#include <cmath>

#include "output/recording.h"
#include "support/media_tools.h"
#include "support/webm_inspector.h"

namespace mrec {

namespace {

constexpr double kFrameRate = 30;
constexpr double kFrameSeconds = 1 / kFrameRate;

std::shared_ptr<MediaStream> patternAndTone(double seconds, uint32_t width = 320,
                                            uint32_t height = 240) {
  return test::streamOf({createTestPatternTrack({.width = width,
                                                 .height = height,
                                                 .frameRate = kFrameRate,
                                                 .durationSeconds = seconds,
                                                 .realtime = false}),
                         createToneTrack({.durationSeconds = seconds, .realtime = false})});
}

/// ffprobe's value of stream `entry` for the stream of `kind` ("v" or "a").
std::string probeText(const std::filesystem::path& file, const std::string& kind,
                      const std::string& entry) {
  return test::ffprobeStreams(file, kind, "stream=" + entry);
}
double probeStream(const std::filesystem::path& file, const std::string& kind,
                   const std::string& entry) {
  return std::atof(probeText(file, kind, entry).c_str());
}

struct VideoType {
  const char* mimeType;
  const char* videoCodec;  ///< ffprobe's codec_name
  const char* audioCodec;  ///< ffprobe's codec_name, or "" for video only
  const char* extension;
};

class EveryVideoType : public ::testing::TestWithParam<VideoType> {};

}  // namespace

// Every supported video type, a minute of it: two streams (one without audio), the right
// codecs and size, every frame, durations within one video frame (and the file's own, once
// makeSeekable has written it), and after 60 s audio and video still start and end together.
// A small picture keeps it quick; the interleaving is the same. Under the sanitizers (which
// check memory and threads, not timing) 10 s.
TEST_P(EveryVideoType, RecordsAMinuteOfPatternAndToneThatFfmpegDecodes) {
  const VideoType type = GetParam();
  const bool withAudio = *type.audioCodec != '\0';
#ifdef MREC_TEST_SANITIZED
  constexpr double kSeconds = 10;
#else
  constexpr double kSeconds = 60;
#endif
  auto stream =
      withAudio
          ? patternAndTone(kSeconds, 160, 120)
          : test::streamOf({createTestPatternTrack(
                {.width = 160, .height = 120, .durationSeconds = kSeconds, .realtime = false})});
  const auto rec = test::recordToEnd(stream, {.mimeType = type.mimeType}, 1000);
  ASSERT_EQ(rec.events.back(), "stop");
  EXPECT_EQ(rec.mimeType, type.mimeType);
  test::TempDir dir;
  const auto file = dir / (std::string("av.") + type.extension);
  test::writeFile(file, rec.file());

  const auto decoded = test::decodeAll(file);
  EXPECT_EQ(decoded.status, 0);
  EXPECT_EQ(decoded.output, "") << "ffmpeg decodes it without complaint";
  EXPECT_EQ(probeText(file, "v", "codec_name"), type.videoCodec);
  EXPECT_EQ(probeText(file, "v", "width,height"), "160,120");
  EXPECT_NEAR(test::streamEnd(file, "v"), kSeconds, kFrameSeconds);
  makeSeekable(file);
  EXPECT_NEAR(std::atof(test::ffprobe(file, "format=duration").c_str()), kSeconds, kFrameSeconds);
  EXPECT_EQ(test::videoKeyFrames(file).size(), size_t(kSeconds * kFrameRate))
      << "no frame lost or added";
  if (withAudio) {
    EXPECT_EQ(probeText(file, "a", "codec_name"), type.audioCodec);
    EXPECT_NEAR(test::streamEnd(file, "a"), kSeconds, kFrameSeconds);
    EXPECT_NEAR(probeStream(file, "a", "start_time"), probeStream(file, "v", "start_time"),
                kFrameSeconds);
  } else {
    EXPECT_EQ(probeText(file, "a", "codec_name"), "") << "no audio stream";
  }
}

INSTANTIATE_TEST_SUITE_P(
    VideoOutput, EveryVideoType,
    ::testing::Values(VideoType{"video/webm;codecs=vp8,opus", "vp8", "opus", "webm"},
                      VideoType{"video/webm;codecs=vp9,opus", "vp9", "opus", "webm"},
                      VideoType{"video/webm;codecs=av1,opus", "av1", "opus", "webm"},
                      VideoType{"video/webm;codecs=vp8,pcm", "vp8", "pcm_f32le", "webm"},
                      VideoType{"video/webm;codecs=vp9,pcm", "vp9", "pcm_f32le", "webm"},
                      VideoType{"video/webm;codecs=av1,pcm", "av1", "pcm_f32le", "webm"},
                      VideoType{"video/webm;codecs=vp8", "vp8", "", "webm"},
                      VideoType{"video/webm;codecs=vp9", "vp9", "", "webm"},
                      VideoType{"video/webm;codecs=av1", "av1", "", "webm"},
                      VideoType{"video/x-matroska;codecs=vp8,opus", "vp8", "opus", "mkv"},
                      VideoType{"video/x-matroska;codecs=vp9,opus", "vp9", "opus", "mkv"},
                      VideoType{"video/x-matroska;codecs=av1,opus", "av1", "opus", "mkv"},
                      VideoType{"video/x-matroska;codecs=vp8,pcm", "vp8", "pcm_f32le", "mkv"},
                      VideoType{"video/x-matroska;codecs=vp9,pcm", "vp9", "pcm_f32le", "mkv"},
                      VideoType{"video/x-matroska;codecs=av1,pcm", "av1", "pcm_f32le", "mkv"},
                      VideoType{"video/x-matroska;codecs=vp8", "vp8", "", "mkv"},
                      VideoType{"video/x-matroska;codecs=vp9", "vp9", "", "mkv"},
                      VideoType{"video/x-matroska;codecs=av1", "av1", "", "mkv"}),
    [](const ::testing::TestParamInfo<VideoType>& param) {
      std::string name = param.param.mimeType;
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

TEST(VideoOutput, EveryClusterWithVideoStartsAtAKeyFrame) {
  const auto rec = test::recordToEnd(patternAndTone(6), {.mimeType = "video/webm;codecs=vp8,opus",
                                                         .videoKeyFrameIntervalDuration = 1000});
  test::TempDir dir;
  test::writeFile(dir / "av.webm", rec.file());
  const auto report = test::inspectWebm(dir / "av.webm");
  ASSERT_TRUE(report.parsed) << report.parseStatus;
  ASSERT_EQ(report.trackEntries.size(), 2u);
  const test::WebmTrack& video = report.trackEntries[0];
  EXPECT_EQ(video.type, 1u);
  EXPECT_EQ(video.codecId, "V_VP8");
  EXPECT_EQ(video.pixelWidth, 320u);
  EXPECT_EQ(video.pixelHeight, 240u);
  EXPECT_EQ(video.defaultDurationNs, 33333000u);
  EXPECT_EQ(report.trackEntries[1].codecId, "A_OPUS");
  int keyClusters = 0;
  bool sawVideoInCluster = false;
  int64_t lastTime = -1;
  for (const auto& block : report.blocks) {
    if (block.firstInCluster) sawVideoInCluster = false;
    if (block.track == video.number) {
      // The first video block of a cluster is a key frame, and each key frame opens one.
      EXPECT_EQ(!sawVideoInCluster, block.key) << "video block at " << block.timecodeMs;
      if (block.key) ++keyClusters;
      sawVideoInCluster = true;
    }
    EXPECT_GE(block.timecodeMs, lastTime) << "blocks are interleaved in time order";
    lastTime = block.timecodeMs;
  }
  EXPECT_EQ(keyClusters, 6) << "a key frame each second";
}

// Each timeslice Blob starts a cluster with a video key frame the recorder asked for, so that
// the Blobs stream through MediaSource (Firefox's drops a cluster that starts otherwise).
TEST(VideoOutput, EachTimesliceBlobStartsWithAVideoKeyFrame) {
  for (const char* type : {"video/webm;codecs=vp8,opus", "video/x-matroska;codecs=vp9,opus"}) {
    SCOPED_TRACE(type);
    const auto rec = test::recordToEnd(patternAndTone(6), {.mimeType = type}, 1000);
    ASSERT_GE(rec.blobs.size(), 6u);
    test::TempDir dir;
    test::writeFile(dir / "av.webm", rec.file());
    const auto report = test::inspectWebm(dir / "av.webm");
    ASSERT_TRUE(report.parsed) << report.parseStatus;
    const uint64_t video = report.trackEntries.at(0).number;
    for (size_t i = 1; i + 1 < rec.blobs.size(); ++i) {
      const auto bytes = rec.blobs[i].arrayBuffer();
      ASSERT_GE(bytes.size(), 4u);
      EXPECT_EQ(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 4),
                (std::vector<uint8_t>{0x1F, 0x43, 0xB6, 0x75}))
          << "Blob " << i << " starts a cluster";
      const auto first = std::find_if(report.blocks.begin(), report.blocks.end(), [&](auto& b) {
        return double(b.timecodeMs) >= rec.timecodes[i] - 0.5;
      });
      ASSERT_NE(first, report.blocks.end());
      EXPECT_TRUE(first->firstInCluster) << "Blob " << i << " at " << rec.timecodes[i];
      EXPECT_EQ(first->track, video) << "Blob " << i << " at " << rec.timecodes[i];
      EXPECT_TRUE(first->key) << "Blob " << i << " at " << rec.timecodes[i];
      EXPECT_NEAR(rec.timecodes[i], 1000.0 * double(i), 40) << "a second of media per Blob";
    }
  }
}

TEST(VideoOutput, Av1CarriesItsSequenceHeaderInCodecPrivate) {
  const auto rec = test::recordToEnd(patternAndTone(1), {.mimeType = "video/webm;codecs=av1"});
  test::TempDir dir;
  test::writeFile(dir / "av1.webm", rec.file());
  const auto report = test::inspectWebm(dir / "av1.webm");
  ASSERT_TRUE(report.parsed) << report.parseStatus;
  const auto& video = report.trackEntries.at(0);
  EXPECT_EQ(video.codecId, "V_AV1");
  ASSERT_GT(video.codecPrivate.size(), 4u);
  EXPECT_EQ(video.codecPrivate[0], 0x81) << "av1C marker and version";
  EXPECT_EQ(video.codecPrivate[2] & 0x0F, 0x0C) << "4:2:0 chroma subsampling";
  EXPECT_EQ((video.codecPrivate[4] >> 3) & 0x0F, 1) << "a sequence header OBU follows";
}

}  // namespace mrec
