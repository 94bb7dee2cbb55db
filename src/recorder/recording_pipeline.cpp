#include "recorder/recording_pipeline.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <thread>

#include "core/format_table.h"
#include "core/media_time.h"
#include "recorder/audio_track_recorder.h"
#include "recorder/interleaver.h"
#include "recorder/video_track_recorder.h"

namespace mrec::detail {

namespace {

constexpr uint32_t kDefaultSampleRate = 48000;
constexpr uint32_t kDefaultChannels = 1;
constexpr uint32_t kDefaultWidth = 640, kDefaultHeight = 480;
// A video packet held for its duration (DurationHold) goes on without it once it has waited
// this long: the interleaver stops waiting for a track quiet for Interleaver::kQuietTrack, and
// audio must not pass a frame that is only held back.
constexpr auto kMaxVideoHold = std::chrono::milliseconds(1000);
// libvpx and libaom spread a frame over this many threads: the two cores the recorder is
// built for, or one on a single-core machine.
uint32_t encoderThreads() {
  return std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
}

// One call into a track's encoder: what it reports as its failure, if it failed. An exception
// out of it (out of memory, a resampler that could not be made) takes the spec's error path
// too, not the worker down.
template <typename TrackRecorder, typename Encode>
std::optional<std::string> encodeError(const TrackRecorder& recorder, const char* encoder,
                                       Encode encode) {
  try {
    if (encode()) return std::nullopt;
    return recorder.lastError();
  } catch (const std::exception& e) {
    return std::string(encoder) + " failed: " + e.what();
  }
}

}  // namespace

RecordingPipeline::RecordingPipeline(Config config) : config_(std::move(config)) {}
RecordingPipeline::~RecordingPipeline() = default;

RecordingPipeline::Output RecordingPipeline::open(const std::optional<MediaTrackSettings>& audio,
                                                  const std::optional<MediaTrackSettings>& video) {
  audioSettings_ = audio.value_or(MediaTrackSettings{});
  videoSettings_ = video.value_or(MediaTrackSettings{});
  if (audio && audio->sampleRate && audio->channelCount)
    audioFormat_.emplace(*audio->sampleRate, *audio->channelCount);
  if (video && video->width && video->height) videoSize_.emplace(*video->width, *video->height);
  Output out;
  if (formatsKnown()) start(out);
  return out;
}

RecordingPipeline::Output RecordingPipeline::forceStart() {
  Output out;
  if (phase_ == Phase::Opening) start(out);
  return out;
}

bool RecordingPipeline::formatsKnown() const {
  return (!config_.hasAudio || audioFormat_) && (!config_.videoCodec || videoSize_);
}

void RecordingPipeline::start(Output& out) {
  std::string error;
  std::vector<MuxerTrack> muxerTracks;
  if (config_.videoCodec) {
    const MediaTrackSettings& settings = *videoSettings_;
    const auto [width, height] = videoSize_.value_or(std::pair{
        settings.width.value_or(kDefaultWidth), settings.height.value_or(kDefaultHeight)});
    VideoRecorderConfig video;
    video.encoder.codec = *config_.videoCodec;
    video.encoder.width = width;
    video.encoder.height = height;
    video.encoder.bitsPerSecond = config_.videoBitsPerSecond;
    video.encoder.frameRate = settings.frameRate.value_or(30);
    video.encoder.threads = encoderThreads();
    video.encoder.profileLevel = config_.format.videoProfileLevel;
    video.keyFrameIntervalMs = config_.videoKeyFrameIntervalDuration;
    video.keyFrameIntervalCount = config_.videoKeyFrameIntervalCount;
    videoRecorder_ = VideoTrackRecorder::create(video, error, config_.makeVideoEncoder);
    if (videoRecorder_) {
      VideoTrackInfo info{video.encoder.codec, width, height,
                          videoRecorder_->encoder().codecPrivate(), 0};
      if (settings.frameRate && *settings.frameRate > 0)
        info.defaultDurationUs = frameMicros(*settings.frameRate);
      videoIndex_ = static_cast<uint32_t>(muxerTracks.size());
      muxerTracks.push_back({std::nullopt, info});
    }
  }
  if (config_.hasAudio && error.empty()) {
    const MediaTrackSettings& settings = *audioSettings_;
    const auto [rate, channels] =
        audioFormat_.value_or(std::pair{settings.sampleRate.value_or(kDefaultSampleRate),
                                        settings.channelCount.value_or(kDefaultChannels)});
    AudioEncoderConfig encoderConfig;
    encoderConfig.codec = config_.audioCodec;
    encoderConfig.inputSampleRate = rate;
    // A source that changes to more channels than the codec takes is downmixed.
    encoderConfig.channels = std::min(channels, formatOf(config_.audioCodec).maxChannels);
    encoderConfig.bitsPerSecond = config_.audioBitsPerSecond;
    encoderConfig.constantBitrate = config_.audioBitrateMode == BitrateMode::Constant;
    audioRecorder_ = AudioTrackRecorder::create(encoderConfig, error, config_.makeAudioEncoder);
    if (audioRecorder_) {
      const AudioEncoder& encoder = audioRecorder_->encoder();
      audioIndex_ = static_cast<uint32_t>(muxerTracks.size());
      muxerTracks.push_back(
          {AudioTrackInfo{config_.audioCodec, encoder.sampleRate(), encoder.channels(),
                          encoder.preSkip(), encoder.codecPrivate()},
           std::nullopt});
    }
  }
  std::unique_ptr<Muxer> muxer;
  if (error.empty()) muxer = makeMuxer(config_.format.container, muxerTracks, error);
  if (!error.empty()) {
    // docs/conformance.md §2.2 step 15.2: the configuration turned out unsupported after
    // start().
    phase_ = Phase::Unsupported;
    out.error = std::move(error);
    return;
  }
  if (audioRecorder_) audio_ = Track::Live;
  if (videoRecorder_) video_ = Track::Live;
  std::vector<uint32_t> timebases;
  for (const MuxerTrack& track : muxerTracks) timebases.push_back(track.timebase());
  interleaver_ = std::make_unique<Interleaver>(timebases);
  std::optional<uint32_t> keyFrameTrack;
  if (videoRecorder_ && formatOf(config_.format.container).blobsStartAtVideoKeyFrames &&
      config_.timeslice.value_or(0) > 0)
    keyFrameTrack = videoIndex_;
  chunker_ =
      std::make_unique<Chunker>(std::move(muxer), timebases, config_.timeslice, keyFrameTrack);
  chunker_->writeHeader();
  phase_ = Phase::Recording;
  out.started = true;
}

void RecordingPipeline::fail(Output& out, std::string error) {
  phase_ = Phase::Failed;
  if (!out.error) out.error = std::move(error);
}

RecordingPipeline::Output RecordingPipeline::fail(std::string error) {
  Output out;
  fail(out, std::move(error));
  return out;
}

RecordingPipeline::Output RecordingPipeline::addAudio(const AudioChunk& chunk,
                                                      Clock::time_point now) {
  Output out;
  if (!config_.hasAudio) return out;
  if (!audioFormat_) audioFormat_.emplace(chunk.sampleRate, chunk.channels);
  if (phase_ == Phase::Opening) start(out);  // the other tracks: settings or defaults
  if (phase_ != Phase::Recording || audio_ != Track::Live) return out;
  if (!audioStartUs_) audioStartUs_ = timeline_.audioStart(chunk);
  AudioChunk taken = chunk;
  if (config_.maxDurationUs) {
    // Counted in the chunk's own samples, so that the file holds the length to the sample.
    const double leftUs = double(*config_.maxDurationUs - *audioStartUs_) - audioInputUs_;
    const int64_t leftFrames = microsToNearestUnits(leftUs, chunk.sampleRate);
    if (leftFrames <= int64_t{chunk.frames}) {
      audio_ = Track::AtMaxDuration;
      taken.frames = static_cast<uint32_t>(std::max<int64_t>(0, leftFrames));
    }
  }
  packets_.clear();
  if (auto error = encodeError(*audioRecorder_, "the encoder",
                               [&] { return audioRecorder_->process(taken, packets_); }))
    fail(out, std::move(*error));
  audioInputUs_ += unitsToExactMicros(taken.frames, taken.sampleRate);
  const int64_t audioEndUs = *audioStartUs_ + static_cast<int64_t>(audioInputUs_);
  timeline_.noteAudioEnd(audioEndUs);
  noteRecordedUntil(audioEndUs);
  placeAudio(0);
  if (videoHold_.heldLongerThan(kMaxVideoHold, now)) videoHold_.release(packets_);
  mux(out, now);
  if (audio_ == Track::AtMaxDuration) completeIfEveryTrackIsAtMaxDuration(out);
  return out;
}

RecordingPipeline::Output RecordingPipeline::addVideo(const VideoChunk& frame,
                                                      Clock::time_point now) {
  Output out;
  if (!config_.videoCodec) return out;
  if (!videoSize_) videoSize_.emplace(frame.width, frame.height);
  if (phase_ == Phase::Opening) start(out);  // the other tracks: settings or defaults
  if (phase_ != Phase::Recording || video_ != Track::Live) return out;
  const MediaTimeline::FrameTime time = timeline_.videoFrame(frame);
  if (config_.maxDurationUs && time.timeUs >= *config_.maxDurationUs) {
    video_ = Track::AtMaxDuration;
    completeIfEveryTrackIsAtMaxDuration(out);
    return out;
  }
  noteRecordedUntil(time.timeUs);
  videoEndUs_ = std::max(videoEndUs_, time.timeUs + time.durationUs);
  const bool keyFrame = chunker_->keyFrameWantedAt(time.timeUs);
  packets_.clear();
  if (auto error = encodeError(*videoRecorder_, "the video encoder", [&] {
        return videoRecorder_->process(frame, time.timeUs, time.durationUs, packets_, keyFrame);
      }))
    fail(out, std::move(*error));
  placeVideo(0, now);
  mux(out, now);
  return out;
}

RecordingPipeline::Output RecordingPipeline::cut(Clock::time_point now) {
  Output out;
  if (!chunker_) return out;
  // The held frame belongs before the cut, after which video starts with a key frame.
  packets_.clear();
  videoHold_.release(packets_);
  mux(out, now);
  out.blobs.push_back(chunker_->cut());
  return out;
}

RecordingPipeline::Output RecordingPipeline::endTracks(bool audioEnded, bool videoEnded,
                                                       Clock::time_point now) {
  Output out;
  if (!chunker_ || phase_ == Phase::Failed) return out;
  packets_.clear();
  std::string audioError, videoError;
  if (audioEnded && audio_ != Track::Absent) {
    if (!finishAudio(audioError)) fail(out, std::move(audioError));
    interleaver_->endTrack(audioIndex_);
  }
  if (videoEnded && video_ != Track::Absent) {
    if (!finishVideo(videoError, now)) fail(out, std::move(videoError));
    interleaver_->endTrack(videoIndex_);
    chunker_->endKeyFrameTrack(videoEndUs_);
  }
  mux(out, now);
  return out;
}

std::optional<int64_t> RecordingPipeline::audioMicrosUntilPacket() const {
  if (phase_ != Phase::Recording || audio_ != Track::Live || !audioRecorder_) return std::nullopt;
  return audioRecorder_->microsUntilPacket();
}

void RecordingPipeline::pause() {
  if (phase_ == Phase::Recording) phase_ = Phase::Paused;
}

void RecordingPipeline::resume() {
  if (phase_ != Phase::Paused) return;
  timeline_.resume();
  phase_ = Phase::Recording;
}

void RecordingPipeline::noteRecordedUntil(int64_t timeUs) {
  recordedUs_ = std::max(recordedUs_, timeUs);
}

void RecordingPipeline::completeIfEveryTrackIsAtMaxDuration(Output& out) {
  if (done(audio_) && done(video_)) out.complete = true;
}

void RecordingPipeline::placeVideo(size_t from, Clock::time_point now) {
  std::vector<EncodedPacket> encoded(std::make_move_iterator(packets_.begin() + from),
                                     std::make_move_iterator(packets_.end()));
  packets_.resize(from);
  for (EncodedPacket& packet : encoded) {
    packet.track = videoIndex_;
    videoHold_.push(std::move(packet), packets_, now);
  }
}

void RecordingPipeline::placeAudio(size_t from) {
  // The encoder counts from the audio's first sample; the recording, from its start.
  const int64_t offset =
      microsToUnits(audioStartUs_.value_or(0), audioRecorder_->encoder().sampleRate());
  for (size_t i = from; i < packets_.size(); ++i) {
    packets_[i].timestamp += offset;
    packets_[i].track = audioIndex_;
  }
}

bool RecordingPipeline::finishAudio(std::string& error) {
  if (audio_ == Track::Absent || audio_ == Track::Finished) return true;
  audio_ = Track::Finished;
  const size_t from = packets_.size();
  if (auto failed = encodeError(*audioRecorder_, "the encoder",
                                [&] { return audioRecorder_->finish(packets_); })) {
    error = std::move(*failed);
    return false;
  }
  placeAudio(from);
  return true;
}

bool RecordingPipeline::finishVideo(std::string& error, Clock::time_point now) {
  if (video_ == Track::Absent || video_ == Track::Finished) return true;
  video_ = Track::Finished;
  const size_t from = packets_.size();
  if (auto failed = encodeError(*videoRecorder_, "the video encoder",
                                [&] { return videoRecorder_->finish(packets_); })) {
    error = std::move(*failed);
    return false;
  }
  placeVideo(from, now);
  videoHold_.release(packets_);
  return true;
}

void RecordingPipeline::mux(Output& out, Clock::time_point now) {
  for (EncodedPacket& packet : packets_) interleaver_->push(std::move(packet), now);
  packets_.clear();
  released_.clear();
  interleaver_->pop(released_, now);
  for (const EncodedPacket& packet : released_)
    if (auto blob = chunker_->add(packet)) out.blobs.push_back(std::move(*blob));
}

RecordingPipeline::Final RecordingPipeline::finish(Clock::time_point now) {
  Final result;
  if (phase_ == Phase::Opening) {
    Output started;
    start(started);
    if (started.error) result.error = std::move(started.error);
  }
  if (phase_ == Phase::Unsupported || phase_ == Phase::Finished) return result;
  if (!chunker_) {  // failed before it started: there is nothing to finish
    phase_ = Phase::Finished;
    return result;
  }
  packets_.clear();
  if (phase_ != Phase::Failed) {
    // Both encoders are flushed, and the first to fail is the one reported.
    std::string audioError, videoError;
    if (!finishAudio(audioError)) result.error = std::move(audioError);
    if (!finishVideo(videoError, now) && !result.error) result.error = std::move(videoError);
  }
  videoHold_.release(packets_);  // encoded before any failure: it is kept
  for (EncodedPacket& packet : packets_) interleaver_->push(std::move(packet));
  released_.clear();
  interleaver_->drain(released_);
  for (const EncodedPacket& packet : released_)
    if (auto blob = chunker_->add(packet)) result.parts.push_back(std::move(*blob));
  result.parts.push_back(chunker_->finish());
  phase_ = Phase::Finished;
  return result;
}

}  // namespace mrec::detail
