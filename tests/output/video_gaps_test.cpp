// Live video that misses frames (dropped when the worker is behind, never captured) keeps
// its timeline without holes: each frame lasts until the next one starts, in every
// container, so that MediaSource buffers the recording as one range (docs/conformance.md
// decision 21; tests/browser/mse_gaps.test.mjs plays it in the browsers).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "containers/mp4_reader.h"

#include "output/recording.h"
#include "support/media_tools.h"
#include "support/video_gaps.h"
#include "support/webm_inspector.h"

namespace mrec {

namespace {

constexpr uint32_t kWidth = 160, kHeight = 120;
using test::video_gaps::isMissing;
using test::video_gaps::kFrames;
using test::video_gaps::kFrameUs;

std::vector<int64_t> pushedTimesMs() {
  std::vector<int64_t> times;
  for (int i = 0; i < kFrames; ++i)
    if (!isMissing(i)) times.push_back((i * kFrameUs + 500) / 1000);
  return times;
}

test::Recording recordWithGaps(const std::string& type) {
  auto generator = MediaStreamTrackGenerator::create("video");
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::streamOf({generator}), {.mimeType = type}, loop);
  test::EventLog log(recorder);
  test::Recording result;
  recorder.onstart = [&](const Event&) { result.mimeType = recorder.mimeType(); };
  recorder.start(1000);
  std::thread writer([&] {
    for (int i = 0; i < kFrames; ++i) {
      if (isMissing(i)) continue;
      std::vector<uint8_t> i420(kWidth * kHeight * 3 / 2, 128);
      for (uint32_t p = 0; p < kWidth * kHeight; ++p)
        i420[p] = (p % kWidth + uint32_t(i) * 4) % kWidth < 20 ? 235 : 16;
      generator->write(
          VideoFrame{VideoPixelFormat::I420, kWidth, kHeight, i * kFrameUs, kFrameUs, i420});
    }
    generator->close();
  });
  EXPECT_TRUE(test::runUntil(
      *loop, [&] { return log.has("stop"); }, std::chrono::seconds(60)));
  writer.join();
  result.blobs = log.blobs;
  result.timecodes = log.timecodes;
  return result;
}

struct Packet {
  double ptsMs = 0, durationMs = 0;
};

// Every video packet ffprobe reads, in order: where it starts and how long it lasts.
std::vector<Packet> videoPackets(const std::filesystem::path& file) {
  std::istringstream lines(test::ffprobeStreams(file, "v", "packet=pts_time,duration_time"));
  std::vector<Packet> packets;
  for (std::string line; std::getline(lines, line);) {
    const auto comma = line.find(',');
    if (comma == std::string::npos) continue;
    const std::string duration = line.substr(comma + 1);
    packets.push_back({std::stod(line.substr(0, comma)) * 1000,
                       duration == "N/A" ? 0 : std::stod(duration) * 1000});
  }
  return packets;
}

// The frames keep the times they were pushed with, and each lasts until the next begins.
void expectFramesCoverTheGaps(const std::filesystem::path& file) {
  const auto packets = videoPackets(file);
  const auto pushed = pushedTimesMs();
  ASSERT_EQ(packets.size(), pushed.size());
  for (size_t i = 0; i < packets.size(); ++i) {
    EXPECT_NEAR(packets[i].ptsMs, double(pushed[i]), 1.0) << "frame " << i;
    if (i + 1 < packets.size()) {
      EXPECT_NEAR(packets[i].ptsMs + packets[i].durationMs, double(pushed[i + 1]), 1.0)
          << "frame " << i << " at " << pushed[i] << " ms lasts until the next";
    }
  }
}

// ffprobe 5.1 gives a fragmented MP4's packets no duration of their own, so the fragments'
// trun sample durations are read as written, with mrec's MP4 reader.
void expectSamplesCoverTheGaps(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string error;
  const auto layout = detail::mp4::readLayout(in, std::filesystem::file_size(file), error);
  ASSERT_TRUE(layout) << error;
  ASSERT_EQ(layout->tracks.size(), 1u);
  const auto& track = layout->tracks[0];
  const auto pushed = pushedTimesMs();
  ASSERT_EQ(track.track.samples.size(), pushed.size());
  // The reader keeps no decode times: each sample's starts where the one before it ends, so
  // a frame that did not last until the next would move every later one.
  uint64_t decodeTime = track.firstDecodeTime;
  size_t i = 0;
  for (const auto& [count, duration] : track.track.samples.durationRuns()) {
    for (uint32_t n = 0; n < count; ++n, ++i) {
      EXPECT_NEAR(double(decodeTime) / 1000, double(pushed[i]), 1.0) << "sample " << i;
      decodeTime += duration;
    }
  }
}

}  // namespace

TEST(VideoGaps, MissingLiveFramesAreCoveredByTheFrameBeforeThemInEveryContainer) {
  for (const char* type :
       {"video/webm;codecs=vp8", "video/x-matroska;codecs=vp9", "video/mp4;codecs=avc1"}) {
    SCOPED_TRACE(type);
    const auto rec = recordWithGaps(type);
    ASSERT_GE(rec.blobs.size(), 5u);
    test::TempDir dir;
    const bool mp4 = std::string(type).find("mp4") != std::string::npos;
    const auto file = dir / (mp4 ? "v.mp4" : "v.mkv");
    test::writeFile(file, rec.file());
    if (mp4)
      expectSamplesCoverTheGaps(file);
    else
      expectFramesCoverTheGaps(file);
    EXPECT_EQ(test::decodeAll(file).output, "");
    // makeSeekable keeps the frames' times and durations.
    const auto seekable = dir / ("seekable-" + file.filename().string());
    test::writeFile(seekable, rec.file());
    makeSeekable(seekable);
    expectFramesCoverTheGaps(seekable);
  }
}

TEST(VideoGaps, EachTimesliceBlobStillStartsWithAVideoKeyFrame) {
  const auto rec = recordWithGaps("video/webm;codecs=vp8");
  test::TempDir dir;
  test::writeFile(dir / "v.webm", rec.file());
  const auto report = test::inspectWebm(dir / "v.webm");
  ASSERT_TRUE(report.parsed) << report.parseStatus;
  ASSERT_GE(rec.blobs.size(), 5u);
  for (size_t i = 1; i < rec.blobs.size(); ++i) {
    const auto first = std::find_if(report.blocks.begin(), report.blocks.end(), [&](auto& b) {
      return double(b.timecodeMs) >= rec.timecodes[i] - 0.5;
    });
    ASSERT_NE(first, report.blocks.end());
    EXPECT_TRUE(first->firstInCluster) << "Blob " << i << " at " << rec.timecodes[i];
    EXPECT_TRUE(first->key) << "Blob " << i << " at " << rec.timecodes[i];
  }
  // The frames that start no Blob are inter frames, as a BlockGroup says by its ReferenceBlock.
  const auto decoded = test::videoKeyFrames(dir / "v.webm");
  ASSERT_EQ(decoded.size(), report.blocks.size());
  for (size_t i = 0; i < decoded.size(); ++i)
    EXPECT_EQ(report.blocks[i].key, decoded[i])
        << "frame " << i << " at " << report.blocks[i].timecodeMs << " ms";
}

}  // namespace mrec
