// Audio and video stay in step in every container that holds both: a tone burst in the audio
// and a picture turning white, both at 1.000 s of the program's own timestamps, are found at
// the same time when ffmpeg decodes the file, as recorded and once finished by makeSeekable.
// Each timeslice Blob holds both tracks up to the same time (interleaving by time).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <sstream>
#include <thread>

#include "output/recording.h"
#include "support/media_tools.h"

namespace mrec {

namespace {

constexpr int kRate = 48000;
constexpr int kFramesPerSecond = 30;
constexpr int64_t kEventUs = 1000000;  // the burst starts and the picture turns white here
constexpr int64_t kLengthUs = 2000000;
constexpr uint32_t kWidth = 160, kHeight = 120;

AudioData audioAt(int64_t firstSample, uint32_t frames) {
  std::vector<float> samples(frames);
  for (uint32_t i = 0; i < frames; ++i) {
    const int64_t n = firstSample + i;
    // 1 kHz for 50 ms from the event on, silence elsewhere.
    if (n >= kRate && n < kRate + kRate / 20)
      samples[i] = 0.8f * float(std::sin(2 * M_PI * 1000 * double(n - kRate) / kRate));
  }
  AudioData data{AudioSampleFormat::F32, kRate, frames, 1, firstSample * 1000000 / kRate, {}};
  data.data.resize(samples.size() * sizeof(float));
  std::memcpy(data.data.data(), samples.data(), data.data.size());
  return data;
}

/// Frame i's time, rounded to the microsecond, so that frame 30 is at exactly 1 s.
int64_t frameTimeUs(int64_t i) {
  return i * 1000000 / kFramesPerSecond;
}

VideoFrame frameAt(int64_t index) {
  const int64_t timestampUs = frameTimeUs(index);
  const uint8_t level = timestampUs >= kEventUs ? 235 : 16;
  std::vector<uint8_t> rgba(size_t{kWidth} * kHeight * 4, level);
  for (size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;
  return VideoFrame{
      VideoPixelFormat::RGBA, kWidth, kHeight, timestampUs, frameTimeUs(index + 1) - timestampUs,
      std::move(rgba)};
}

/// Writes both tracks in time order, as a capture program would, and records them.
test::Recording recordEvent(const std::string& type) {
  auto audio = MediaStreamTrackGenerator::create("audio");
  auto video = MediaStreamTrackGenerator::create("video");
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::streamOf({audio, video}), {.mimeType = type}, loop);
  test::EventLog log(recorder);
  recorder.start(500);
  std::thread writer([&] {
    constexpr uint32_t kChunk = 480;  // 10 ms
    int64_t nextSample = 0;
    for (int64_t i = 0; frameTimeUs(i) < kLengthUs; ++i) {
      while (nextSample * 1000000 / kRate < frameTimeUs(i + 1)) {
        audio->write(audioAt(nextSample, kChunk));
        nextSample += kChunk;
      }
      video->write(frameAt(i));
    }
    audio->close();
    video->close();
  });
  EXPECT_TRUE(test::runUntil(
      *loop, [&] { return log.has("stop"); }, std::chrono::seconds(60)));
  writer.join();
  EXPECT_FALSE(log.has("error"));
  test::Recording rec;
  rec.blobs = log.blobs;
  rec.mimeType = recorder.mimeType();
  return rec;
}

std::vector<std::vector<std::string>> csvLines(const std::string& text) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream fieldsIn(line);
    for (std::string field; std::getline(fieldsIn, field, ',');) fields.push_back(field);
    if (!fields.empty()) lines.push_back(fields);
  }
  return lines;
}

/// When the decoded audio first rises above half the burst's level, in seconds of the file.
double audioEventSeconds(const std::filesystem::path& file) {
  // The first frame ffmpeg outputs: an MP4 edit list makes it drop AAC's priming frame.
  const auto first = csvLines(test::runCommand("ffprobe -v error -select_streams a -read_intervals "
                                               "%+#3 -show_entries frame=pts_time -of csv=p=0 '" +
                                               file.string() + "'")
                                  .output);
  const double firstSeconds = first.empty() ? NAN : std::atof(first[0][0].c_str());
  const std::vector<float> samples = test::decodeMono(file);
  for (size_t i = 0; i < samples.size(); ++i)
    if (std::fabs(samples[i]) > 0.4f) return firstSeconds + double(i) / kRate;
  return NAN;
}

/// The presentation time of the first decoded picture that is mostly white, in seconds.
double videoEventSeconds(const std::filesystem::path& file) {
  const auto frames =
      csvLines(test::runCommand(
                   "ffprobe -v error -f lavfi -i 'movie=" + file.string() +
                   ",signalstats' -show_entries frame=pts_time:frame_tags=lavfi.signalstats.YAVG "
                   "-of csv=p=0")
                   .output);
  for (const auto& fields : frames)
    if (fields.size() >= 2 && std::atof(fields[1].c_str()) > 128)
      return std::atof(fields[0].c_str());
  return NAN;
}

struct Packet {
  bool video;
  double startSeconds;
  int64_t position;
};

/// Every packet's track, start and place in the file. Starts, not ends: ffprobe gives no
/// duration for the first packets of some MP4 video tracks although the trun holds them.
std::vector<Packet> packetsOf(const std::filesystem::path& file) {
  std::vector<Packet> packets;
  for (const auto& f :
       csvLines(test::runCommand("ffprobe -v error -show_entries packet=codec_type,pts_time,pos "
                                 "-of csv=p=0 '" +
                                 file.string() + "'")
                    .output))
    if (f.size() >= 3 && f[1] != "N/A")
      packets.push_back({f[0] == "video", std::atof(f[1].c_str()), std::atoll(f[2].c_str())});
  return packets;
}

std::vector<std::string> typesWithAudioAndVideo() {
  std::vector<std::string> types;
  for (const char* type :
       {"video/webm;codecs=vp8,opus", "video/webm;codecs=vp9,opus", "video/webm;codecs=av1,opus",
        "video/x-matroska;codecs=vp8,opus", "video/x-matroska;codecs=vp9,pcm",
        "video/mp4;codecs=avc1,opus", "video/mp4;codecs=avc1,mp4a.40.2",
        "video/mp4;codecs=vp9,opus", "video/mp4;codecs=av01,mp4a.40.2"})
    if (MediaRecorder::isTypeSupported(type)) types.push_back(type);
  return types;
}

}  // namespace

TEST(AvSync, ABurstAndAWhitePictureAtOneSecondDecodeTogether) {
  const auto types = typesWithAudioAndVideo();
  ASSERT_GE(types.size(), 4u);
  for (const std::string& type : types) {
    SCOPED_TRACE(type);
    const test::Recording rec = recordEvent(type);
    test::TempDir dir;
    const auto file = dir / (type.starts_with("video/mp4") ? "sync.mp4" : "sync.mkv");
    test::writeFile(file, rec.file());
    for (const bool finished : {false, true}) {
      SCOPED_TRACE(finished ? "finished by makeSeekable" : "as recorded");
      if (finished) makeSeekable(file);
      const double audioSeconds = audioEventSeconds(file);
      const double videoSeconds = videoEventSeconds(file);
      // Offline media is timed exactly: allow the codecs' own smear (Opus and AAC move an
      // onset by a few samples; 0.1 ms measured), far less than the 33 ms of one frame and
      // than an unsignalled Opus pre-skip (6.5 ms) or AAC priming (21.3 ms) would move it.
      EXPECT_NEAR(videoSeconds, 1.0, 0.0005);
      EXPECT_NEAR(audioSeconds, 1.0, 0.001);
    }
  }
}

TEST(AvSync, EachBlobHoldsBothTracksUpToTheSameTime) {
  for (const std::string& type : typesWithAudioAndVideo()) {
    SCOPED_TRACE(type);
    const test::Recording rec = recordEvent(type);
    ASSERT_GE(rec.blobs.size(), 4u);  // 2 s at start(500)
    test::TempDir dir;
    const auto file = dir / "blobs.bin";
    test::writeFile(file, rec.file());
    const std::vector<Packet> packets = packetsOf(file);
    // Where each Blob but the last ends in the file, and the newest packet of each track in
    // the file by then.
    int64_t blobEnd = 0;
    for (size_t b = 0; b + 1 < rec.blobs.size(); ++b) {
      blobEnd += static_cast<int64_t>(rec.blobs[b].size());
      std::optional<double> audioUntil, videoUntil;
      for (const Packet& p : packets) {
        if (p.position >= blobEnd) continue;
        auto& until = p.video ? videoUntil : audioUntil;
        until = std::max(until.value_or(0.0), p.startSeconds);
      }
      if (!audioUntil && !videoUntil) continue;  // a header Blob
      SCOPED_TRACE("Blob " + std::to_string(b));
      ASSERT_TRUE(audioUntil && videoUntil);
      // One video frame apart at most, plus the audio packet that straddles the cut.
      EXPECT_NEAR(*audioUntil, *videoUntil, 0.034 + 0.022);
    }
  }
}

}  // namespace mrec
