// The recording pipeline on its own: media made here goes in, the bytes that come out are
// written to a file and decoded by ffmpeg. No thread, device, queue or event loop.
#include "recorder/recording_pipeline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <numbers>

#include "support/media_tools.h"

namespace mrec::detail {

namespace {

constexpr uint32_t kRate = 48000;
constexpr uint32_t kChunkFrames = 960;  // 20 ms

RecordingPipeline::Config configFor(const std::string& type, std::optional<uint32_t> timeslice) {
  const TypeCheck check = checkType(type);
  EXPECT_TRUE(check.supported) << type << ": " << check.reason;
  RecordingPipeline::Config config;
  config.format = check.format;
  config.audioCodec = check.format.audioCodec.value_or(AudioCodec::Opus);
  config.hasAudio = check.format.audioCodec.has_value();
  config.videoCodec = check.format.videoCodec;
  config.timeslice = timeslice;
  return config;
}

/// 20 ms of a 440 Hz tone, the `index`th of a run, on the source's own timeline.
AudioChunk toneChunk(int index) {
  auto samples = std::make_shared<std::vector<float>>(kChunkFrames);
  for (uint32_t i = 0; i < kChunkFrames; ++i) {
    const double t = double(index * kChunkFrames + i) / kRate;
    (*samples)[i] = float(0.5 * std::sin(2 * std::numbers::pi * 440 * t));
  }
  AudioChunk chunk;
  chunk.sampleRate = kRate;
  chunk.channels = 1;
  chunk.frames = kChunkFrames;
  chunk.samples = std::move(samples);
  chunk.timestamp = int64_t{index} * 20000;
  return chunk;
}

VideoChunk grayFrame(int index, int64_t frameUs) {
  VideoChunk frame;
  frame.width = 160;
  frame.height = 120;
  frame.timestamp = index * frameUs;
  frame.duration = frameUs;
  frame.i420 = std::make_shared<std::vector<uint8_t>>(160 * 120 * 3 / 2, uint8_t(128));
  return frame;
}

/// What a pipeline handed back, in order: each Blob's bytes.
struct Recorded {
  bool started = false;
  std::vector<std::vector<uint8_t>> blobs;
  std::vector<uint64_t> sizes() const {
    std::vector<uint64_t> sizes;
    for (const auto& blob : blobs) sizes.push_back(blob.size());
    return sizes;
  }
  std::vector<std::string> errors;
  bool complete = false;

  void take(std::vector<ChunkOut>& outs) {
    for (ChunkOut& out : outs) {
      std::vector<uint8_t> bytes;
      if (out.bytes)
        out.bytes->read(0, out.bytes->size(), [&](const uint8_t* data, size_t size) {
          bytes.insert(bytes.end(), data, data + size);
        });
      blobs.push_back(std::move(bytes));
    }
  }
  void take(RecordingPipeline::Output out) {
    started = started || out.started;
    take(out.blobs);
    if (out.error) errors.push_back(*out.error);
    complete = complete || out.complete;
  }
  void take(RecordingPipeline::Final last) {
    take(last.parts);
    if (last.error) errors.push_back(*last.error);
  }
  std::vector<uint8_t> file() const {
    std::vector<uint8_t> all;
    for (const auto& blob : blobs) all.insert(all.end(), blob.begin(), blob.end());
    return all;
  }
};

/// The size grayFrame() makes, as a source that knows it says.
MediaTrackSettings smallVideo() {
  MediaTrackSettings settings;
  settings.width = 160;
  settings.height = 120;
  return settings;
}

MediaTrackSettings monoAt48k() {
  MediaTrackSettings settings;
  settings.sampleRate = kRate;
  settings.channelCount = 1;
  return settings;
}

/// A real encoder that fails when it is flushed, or from its `failAfter`th frame on: the
/// faults a codec can have, on demand.
class FailingAudioEncoder final : public AudioEncoder {
 public:
  FailingAudioEncoder(std::unique_ptr<AudioEncoder> real, int failAfter)
      : real_(std::move(real)), framesLeft_(failAfter) {}
  uint32_t sampleRate() const override { return real_->sampleRate(); }
  uint32_t channels() const override { return real_->channels(); }
  uint32_t preSkip() const override { return real_->preSkip(); }
  std::vector<uint8_t> codecPrivate() const override { return real_->codecPrivate(); }
  uint32_t samplesUntilPacket() const override { return real_->samplesUntilPacket(); }
  bool encode(const float* samples, uint32_t frames, std::vector<EncodedPacket>& out) override {
    if (framesLeft_-- == 0) return failWith("the audio encoder broke");
    return real_->encode(samples, frames, out);
  }
  bool finish(std::vector<EncodedPacket>&) override {
    return failWith("the audio encoder failed to finish");
  }
  const std::string& lastError() const override { return error_; }

 private:
  bool failWith(std::string error) {
    error_ = std::move(error);
    return false;
  }
  std::unique_ptr<AudioEncoder> real_;
  int framesLeft_;
  std::string error_;
};

class FailingVideoEncoder final : public VideoEncoder {
 public:
  explicit FailingVideoEncoder(std::unique_ptr<VideoEncoder> real) : real_(std::move(real)) {}
  std::vector<uint8_t> codecPrivate() const override { return real_->codecPrivate(); }
  bool encode(const uint8_t* i420, int64_t timestampUs, int64_t durationUs, bool keyFrame,
              std::vector<EncodedPacket>& out) override {
    return real_->encode(i420, timestampUs, durationUs, keyFrame, out);
  }
  bool finish(std::vector<EncodedPacket>&) override {
    error_ = "the video encoder failed to finish";
    return false;
  }
  const std::string& lastError() const override { return error_; }

 private:
  std::unique_ptr<VideoEncoder> real_;
  std::string error_;
};

// Finishes a recording of two seconds of tone and some video, and checks what the file holds.
void expectTwoSecondsOfAudioAndVideoUntil(RecordingPipeline& pipeline, Recorded& recorded,
                                          double videoEndSeconds) {
  recorded.take(pipeline.finish());
  EXPECT_TRUE(recorded.errors.empty());
  test::TempDir dir;
  test::writeFile(dir / "av.webm", recorded.file());
  EXPECT_NEAR(test::streamEnd(dir / "av.webm", "v"), videoEndSeconds, 0.001);
  EXPECT_EQ(test::decodeMono(dir / "av.webm").size(), 2u * kRate);
}

void failAudio(RecordingPipeline::Config& config, int failAfter) {
  config.makeAudioEncoder = [failAfter](const AudioEncoderConfig& c, std::string& error) {
    auto real = makeAudioEncoder(c, error);
    return real ? std::make_unique<FailingAudioEncoder>(std::move(real), failAfter) : nullptr;
  };
}

void failVideo(RecordingPipeline::Config& config) {
  config.makeVideoEncoder = [](const VideoEncoderConfig& c, std::string& error) {
    auto real = makeVideoEncoder(c, error);
    return real ? std::make_unique<FailingVideoEncoder>(std::move(real)) : nullptr;
  };
}

}  // namespace

TEST(RecordingPipeline, StartsAtOpenWhenTheSourceKnowsItsFormatAndCutsBlobsByMediaTime) {
  RecordingPipeline pipeline(configFor("audio/ogg;codecs=opus", 1000));
  Recorded recorded;
  recorded.take(pipeline.open(monoAt48k(), std::nullopt));
  EXPECT_TRUE(recorded.started);
  EXPECT_EQ(pipeline.phase(), RecordingPipeline::Phase::Recording);
  for (int i = 0; i < 150; ++i) recorded.take(pipeline.addAudio(toneChunk(i)));  // 3 s
  EXPECT_EQ(pipeline.recordedMicros(), 3000000);
  EXPECT_EQ(recorded.blobs.size(), 3u) << "a Blob per second of media, with no clock";
  recorded.take(pipeline.finish());
  EXPECT_EQ(pipeline.phase(), RecordingPipeline::Phase::Finished);
  EXPECT_TRUE(recorded.errors.empty());

  test::TempDir dir;
  test::writeFile(dir / "tone.ogg", recorded.file());
  EXPECT_EQ(test::decodeMono(dir / "tone.ogg").size(), 3u * kRate);
}

// What the recording's queue waits for before it wakes the recording again (SessionQueue).
TEST(RecordingPipeline, SaysHowMuchMoreAudioCompletesTheEncodersNextPacket) {
  RecordingPipeline pipeline(configFor("audio/webm;codecs=opus", 1000));
  EXPECT_EQ(pipeline.audioMicrosUntilPacket(), std::nullopt) << "no encoder yet";
  Recorded recorded;
  recorded.take(pipeline.open(monoAt48k(), std::nullopt));
  EXPECT_EQ(pipeline.audioMicrosUntilPacket(), 20000) << "a whole Opus frame";
  AudioChunk chunk = toneChunk(0);
  chunk.frames = 1440;  // 30 ms: one frame, and half of the next
  chunk.samples = std::make_shared<std::vector<float>>(1440, 0.25f);
  recorded.take(pipeline.addAudio(chunk));
  EXPECT_EQ(pipeline.audioMicrosUntilPacket(), 10000);
  pipeline.pause();
  EXPECT_EQ(pipeline.audioMicrosUntilPacket(), std::nullopt) << "paused: audio is left out";
}

TEST(RecordingPipeline, WaitsForTheFirstMediaWhenTheFormatIsUnknown) {
  RecordingPipeline pipeline(configFor("audio/webm;codecs=opus", std::nullopt));
  Recorded recorded;
  recorded.take(pipeline.open(MediaTrackSettings{}, std::nullopt));
  EXPECT_FALSE(recorded.started);
  EXPECT_EQ(pipeline.phase(), RecordingPipeline::Phase::Opening);
  recorded.take(pipeline.addAudio(toneChunk(0)));
  EXPECT_TRUE(recorded.started);
  for (int i = 1; i < 50; ++i) recorded.take(pipeline.addAudio(toneChunk(i)));
  EXPECT_TRUE(recorded.blobs.empty()) << "no timeslice: nothing until asked";
  recorded.take(pipeline.finish());
  ASSERT_EQ(recorded.blobs.size(), 1u);

  test::TempDir dir;
  test::writeFile(dir / "tone.webm", recorded.file());
  EXPECT_EQ(test::decodeMono(dir / "tone.webm").size(), size_t{kRate});
}

TEST(RecordingPipeline, PausedMediaIsLeftOutAndACutHoldsWhatWasMuxed) {
  RecordingPipeline pipeline(configFor("audio/ogg;codecs=opus", std::nullopt));
  Recorded recorded;
  recorded.take(pipeline.open(monoAt48k(), std::nullopt));
  int index = 0;
  for (; index < 50; ++index) recorded.take(pipeline.addAudio(toneChunk(index)));
  pipeline.pause();
  EXPECT_EQ(pipeline.phase(), RecordingPipeline::Phase::Paused);
  for (; index < 100; ++index) recorded.take(pipeline.addAudio(toneChunk(index)));
  pipeline.resume();
  for (; index < 150; ++index) recorded.take(pipeline.addAudio(toneChunk(index)));
  recorded.take(pipeline.cut());
  ASSERT_EQ(recorded.blobs.size(), 1u);
  EXPECT_GT(recorded.blobs[0].size(), 0u);
  recorded.take(pipeline.finish());
  EXPECT_EQ(pipeline.recordedMicros(), 2000000);

  test::TempDir dir;
  test::writeFile(dir / "paused.ogg", recorded.file());
  EXPECT_EQ(test::decodeMono(dir / "paused.ogg").size(), 2u * kRate);
}

TEST(RecordingPipeline, IsCompleteAtMaxDurationToTheSample) {
  auto config = configFor("audio/ogg;codecs=opus", std::nullopt);
  config.maxDurationUs = 1234567;
  RecordingPipeline pipeline(config);
  Recorded recorded;
  recorded.take(pipeline.open(monoAt48k(), std::nullopt));
  int index = 0;
  while (!recorded.complete && index < 200) recorded.take(pipeline.addAudio(toneChunk(index++)));
  EXPECT_TRUE(recorded.complete);
  EXPECT_EQ(index, 62) << "1.2346 s ends in the 62nd 20 ms chunk";
  recorded.take(pipeline.addAudio(toneChunk(index)));  // after the end: not taken
  recorded.take(pipeline.finish());

  test::TempDir dir;
  test::writeFile(dir / "max.ogg", recorded.file());
  EXPECT_EQ(test::decodeMono(dir / "max.ogg").size(), size_t{59259});  // 1.234567 s at 48 kHz
}

TEST(RecordingPipeline, VideoAndAudioInterleaveOnMadeUpWallClockTimes) {
  RecordingPipeline pipeline(configFor("video/webm;codecs=vp8,opus", 500));
  Recorded recorded;
  MediaTrackSettings video = smallVideo();
  video.frameRate = 25;
  recorded.take(pipeline.open(monoAt48k(), video));
  EXPECT_TRUE(recorded.started);
  // Two seconds: a frame every 40 ms, audio every 20 ms, and a wall clock that moves with
  // the media, as a live source's would.
  const auto t0 = RecordingPipeline::Clock::now();
  for (int i = 0; i < 100; ++i) {
    const auto now = t0 + std::chrono::milliseconds(20 * i);
    if (i % 2 == 0) recorded.take(pipeline.addVideo(grayFrame(i / 2, 40000), now));
    recorded.take(pipeline.addAudio(toneChunk(i), now));
  }
  EXPECT_GE(recorded.blobs.size(), 2u);
  expectTwoSecondsOfAudioAndVideoUntil(pipeline, recorded, 2.0);
}

TEST(RecordingPipeline, AnEndedTrackStopsHoldingTheOtherBack) {
  RecordingPipeline pipeline(configFor("video/webm;codecs=vp8,opus", 500));
  Recorded recorded;
  recorded.take(pipeline.open(monoAt48k(), smallVideo()));
  const auto t0 = RecordingPipeline::Clock::now();
  for (int i = 0; i < 10; ++i) recorded.take(pipeline.addVideo(grayFrame(i, 40000), t0));
  recorded.take(pipeline.endTracks(false, true));
  // The audio goes on alone: its Blobs are cut though no more video comes, all in the same
  // wall-clock instant (the interleaver waits for no ended track).
  for (int i = 0; i < 100; ++i) recorded.take(pipeline.addAudio(toneChunk(i), t0));
  EXPECT_GE(recorded.blobs.size(), 3u);
  expectTwoSecondsOfAudioAndVideoUntil(pipeline, recorded, 0.4);
}

// An offline recording's video can be encoded, and its source end, while the audio is still
// far behind in the interleaver: the video frames still to come go on starting the Blobs,
// so that no Blob is cut by media time just before a key frame (as AAC's 21.3 ms frames
// made it, with a Blob starting one video frame before its key frame).
TEST(RecordingPipeline, VideoThatEndsAheadOfTheAudioStillStartsEachBlobWithAKeyFrame) {
  RecordingPipeline pipeline(configFor("video/webm;codecs=vp8,opus", 1000));
  Recorded recorded;
  MediaTrackSettings video = smallVideo();
  video.frameRate = 30;
  recorded.take(pipeline.open(monoAt48k(), video));
  const auto t0 = RecordingPipeline::Clock::now();
  for (int i = 0; i < 90; ++i) recorded.take(pipeline.addVideo(grayFrame(i, 33333), t0));
  recorded.take(pipeline.endTracks(false, true, t0));
  for (int i = 0; i < 150; ++i) recorded.take(pipeline.addAudio(toneChunk(i), t0));
  recorded.take(pipeline.finish(t0));
  EXPECT_TRUE(recorded.errors.empty());
  ASSERT_GE(recorded.blobs.size(), 3u);

  test::TempDir dir;
  test::writeFile(dir / "ahead.webm", recorded.file());
  EXPECT_EQ(test::blobsNotStartingWithAVideoKeyFrame(dir / "ahead.webm", recorded.sizes()),
            std::vector<size_t>{});
}

TEST(RecordingPipeline, WhenBothEncodersFailAtStopTheFirstErrorIsReported) {
  auto config = configFor("video/webm;codecs=vp8,opus", std::nullopt);
  failAudio(config, -1);
  failVideo(config);
  RecordingPipeline pipeline(config);
  Recorded recorded;
  recorded.take(pipeline.open(monoAt48k(), smallVideo()));
  const auto t0 = RecordingPipeline::Clock::now();
  for (int i = 0; i < 50; ++i) {
    if (i % 2 == 0) recorded.take(pipeline.addVideo(grayFrame(i / 2, 40000), t0));
    recorded.take(pipeline.addAudio(toneChunk(i), t0));
  }
  EXPECT_TRUE(recorded.errors.empty());
  recorded.take(pipeline.finish());
  ASSERT_EQ(recorded.errors.size(), 1u);
  EXPECT_EQ(recorded.errors[0], "the audio encoder failed to finish") << "the first, not the last";
  // What was encoded before is kept: the file plays.
  test::TempDir dir;
  test::writeFile(dir / "failed.webm", recorded.file());
  EXPECT_GT(test::decodeMono(dir / "failed.webm").size(), size_t{kRate / 2});
}

TEST(RecordingPipeline, AnEncoderThatFailsMidwayEndsTheMediaAndKeepsWhatCameBefore) {
  auto config = configFor("audio/ogg;codecs=opus", std::nullopt);
  failAudio(config, 25);  // half a second in
  RecordingPipeline pipeline(config);
  Recorded recorded;
  recorded.take(pipeline.open(monoAt48k(), std::nullopt));
  for (int i = 0; i < 50; ++i) recorded.take(pipeline.addAudio(toneChunk(i)));
  ASSERT_EQ(recorded.errors.size(), 1u);
  EXPECT_EQ(recorded.errors[0], "the audio encoder broke");
  EXPECT_EQ(pipeline.phase(), RecordingPipeline::Phase::Failed);
  recorded.take(pipeline.finish());
  EXPECT_EQ(recorded.errors.size(), 1u) << "a failed encoder is not flushed";
  test::TempDir dir;
  test::writeFile(dir / "broken.ogg", recorded.file());
  const auto samples = test::decodeMono(dir / "broken.ogg");
  EXPECT_GT(samples.size(), size_t{kRate / 4});
  EXPECT_LE(samples.size(), size_t{kRate / 2});
}

}  // namespace mrec::detail
