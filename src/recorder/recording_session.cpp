#include "recorder/recording_session.h"

#include <algorithm>
#include <cmath>

#include <thread>

#include "codecs/opus_encoder.h"
#include "core/blob_access.h"
#include "recorder/audio_track_recorder.h"
#include "recorder/chunker.h"
#include "recorder/interleaver.h"
#include "recorder/recorder_core.h"
#include "recorder/video_track_recorder.h"

namespace mrec::detail {

namespace {

// About a second of 10 ms device chunks (or 20 ms offline chunks): room for a worker that
// is briefly descheduled, small enough to keep memory bounded.
constexpr size_t kQueueChunkCapacity = 100;
constexpr uint32_t kDefaultSampleRate = 48000;
constexpr uint32_t kDefaultChannels = 1;
constexpr uint32_t kDefaultWidth = 640, kDefaultHeight = 480;
// libvpx and libaom spread a frame over this many threads: the two cores the recorder is
// built for, or one on a single-core machine.
uint32_t encoderThreads() {
  return std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
}

class QueueSink final : public MediaSink {
 public:
  explicit QueueSink(std::shared_ptr<SessionQueue> queue) : queue_(std::move(queue)) {}
  void onAudio(const AudioChunk& chunk, Delivery delivery) override {
    queue_->pushChunk(chunk, delivery);
  }
  void onVideo(const VideoChunk& frame, Delivery delivery) override {
    queue_->pushFrame(frame, delivery);
  }
  void onOverflow(uint64_t) override { queue_->countOverflow(); }

 private:
  const std::shared_ptr<SessionQueue> queue_;
};

}  // namespace

RecordingSession::RecordingSession(std::shared_ptr<RecorderCore> core, Config config,
                                   std::shared_future<void> previous)
    : core_(std::move(core)),
      config_(std::move(config)),
      previous_(std::move(previous)),
      queue_(std::make_shared<SessionQueue>(kQueueChunkCapacity)),
      finished_(finishedPromise_.get_future().share()) {}

RecordingSession::~RecordingSession() {
  if (worker_.joinable()) worker_.join();
}

std::vector<std::shared_ptr<TrackState>> RecordingSession::tracks() const {
  std::vector<std::shared_ptr<TrackState>> tracks;
  if (config_.videoTrack) tracks.push_back(config_.videoTrack);
  if (config_.audioTrack) tracks.push_back(config_.audioTrack);
  return tracks;
}

void RecordingSession::begin() {
  std::weak_ptr<RecordingSession> weak = shared_from_this();
  sink_ = std::make_shared<QueueSink>(queue_);
  streamObserver_ = config_.stream->addObserver([weak](StreamChange) {
    if (const auto self = weak.lock()) self->core_->queueTrackSetCheck(self);
  });
  for (const auto& track : tracks()) {
    trackObservers_.push_back(
        track->addObserver([weak, track = std::weak_ptr<TrackState>(track)](TrackChange change) {
          const auto self = weak.lock();
          if (!self) return;
          if (change == TrackChange::Ended) {
            self->queue_->pushCommand(SessionCommand::TrackEnded);
          } else if (const auto t = track.lock(); t && t->isolated.load()) {
            // Claimed at once, not in a task: no data of an isolated track may be delivered,
            // even if stop() follows immediately.
            self->end(EndReason::Isolation, "a recorded track became isolated");
          }
        }));
    // A track that ended between start()'s check and now never delivers; the worker sees it.
    if (!track->addSink(sink_)) queue_->pushCommand(SessionCommand::TrackEnded);
  }
  worker_ = std::thread([this] { run(); });
}

void RecordingSession::pause() {
  queue_->pushCommand(SessionCommand::Pause);
}
void RecordingSession::resume() {
  queue_->pushCommand(SessionCommand::Resume);
}

void RecordingSession::requestData() {
  // Before `start` has fired, nothing has been gathered from the caller's point of view.
  queue_->pushCommand(startDispatched_ ? SessionCommand::RequestData
                                       : SessionCommand::RequestEmptyData);
}

bool RecordingSession::end(EndReason reason, std::string message, std::string errorName) {
  {
    std::lock_guard lock(endMutex_);
    if (endReason_ != EndReason::None) return false;
    endReason_ = reason;
    endMessage_ = std::move(message);
    endErrorName_ = std::move(errorName);
  }
  queue_->pushCommand(SessionCommand::End);
  return true;
}

void RecordingSession::abort() {
  aborted_ = true;
  queue_->close();
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
}

bool RecordingSession::reapIfFinished() {
  if (finished_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  if (worker_.joinable()) worker_.join();
  return true;
}

void RecordingSession::detach() {
  const auto recorded = tracks();
  for (size_t i = 0; i < recorded.size(); ++i) {
    recorded[i]->removeSink(sink_.get());
    recorded[i]->removeObserver(trackObservers_[i]);
  }
  config_.stream->removeObserver(streamObserver_);
  queue_->close();  // releases a paced source waiting for room
}

uint64_t RecordingSession::droppedVideoFrames() const {
  return queue_->droppedFrames();
}

void RecordingSession::run() {
  if (previous_.valid()) previous_.wait();
  // Sources that know their format let the recording start before any media arrives.
  if (config_.audioTrack && config_.audioTrack->source) {
    const MediaTrackSettings settings = config_.audioTrack->source->settings();
    if (settings.sampleRate && settings.channelCount)
      audioFormat_.emplace(*settings.sampleRate, *settings.channelCount);
  }
  if (config_.videoTrack && config_.videoTrack->source) {
    const MediaTrackSettings settings = config_.videoTrack->source->settings();
    if (settings.width && settings.height) videoSize_.emplace(*settings.width, *settings.height);
  }
  if (!aborted_ && (!config_.audioTrack || audioFormat_) && (!config_.videoTrack || videoSize_))
    ensureInitialized();

  bool overflowReported = false;
  while (!aborted_) {
    if (!overflowReported && queue_->overflows() > 0) {
      overflowReported = true;
      // The encoder is sound: what was queued before the loss is still encoded and the file
      // is finished properly; the recording just cannot go on with a hole in it.
      end(EndReason::Failure,
          "the capture queue overflowed: the recorder could not keep up and media was lost (" +
              std::to_string(queue_->overflows()) + " times)");
    }
    SessionItem item = queue_->pop();
    if (aborted_) break;
    if (item.command != SessionCommand::None && item.command != SessionCommand::TrackEnded)
      ensureInitialized();  // `start` precedes every other event
    switch (item.command) {
      case SessionCommand::None:
        if (paused_ || failed_) break;
        if (item.chunk.frames > 0) encodeAudio(item.chunk);
        if (item.frame.i420) encodeVideo(item.frame);
        break;
      case SessionCommand::Pause:
        paused_ = true;
        core_->queueEvent("pause");
        break;
      case SessionCommand::Resume:
        if (paused_) timeline_.resume();
        paused_ = false;
        core_->queueEvent("resume");
        break;
      case SessionCommand::RequestData:
        if (chunker_) {
          ChunkOut out = chunker_->cut();
          deliver(std::move(out.bytes), out.timecode);
        }
        break;
      case SessionCommand::RequestEmptyData:
        core_->queueData(Blob(std::vector<uint8_t>{}, config_.mimeType), 0);
        break;
      case SessionCommand::TrackEnded: {
        const auto recorded = tracks();
        if (std::none_of(recorded.begin(), recorded.end(), [](const auto& t) { return t->live(); }))
          end(EndReason::AllTracksEnded);
        else if (!failed_)
          finishEndedTracks();
        break;
      }
      case SessionCommand::End:
        finish();
        detach();
        finishedPromise_.set_value();
        return;
    }
  }
  detach();
  finishedPromise_.set_value();
}

bool RecordingSession::ensureInitialized() {
  if (initialized_ || initFailed_) return initialized_;
  std::string error;
  std::vector<MuxerTrack> muxerTracks;
  if (config_.videoTrack) {
    const MediaTrackSettings settings =
        config_.videoTrack->source ? config_.videoTrack->source->settings() : MediaTrackSettings{};
    const auto [width, height] = videoSize_.value_or(std::pair{
        settings.width.value_or(kDefaultWidth), settings.height.value_or(kDefaultHeight)});
    VideoRecorderConfig video;
    video.encoder.codec = config_.videoCodec.value();
    video.encoder.width = width;
    video.encoder.height = height;
    video.encoder.bitsPerSecond = config_.videoBitsPerSecond;
    video.encoder.frameRate = settings.frameRate.value_or(30);
    video.encoder.threads = encoderThreads();
    video.encoder.codecString = config_.format.videoCodecString;
    video.keyFrameIntervalMs = config_.videoKeyFrameIntervalDuration;
    video.keyFrameIntervalCount = config_.videoKeyFrameIntervalCount;
    videoRecorder_ = VideoTrackRecorder::create(video, error);
    if (videoRecorder_) {
      VideoTrackInfo info{video.encoder.codec, width, height,
                          videoRecorder_->encoder().codecPrivate(), 0};
      if (settings.frameRate && *settings.frameRate > 0)
        info.defaultDurationUs = std::llround(1000000.0 / *settings.frameRate);
      videoIndex_ = static_cast<uint32_t>(muxerTracks.size());
      muxerTracks.push_back({std::nullopt, info});
    }
  }
  if (config_.audioTrack && error.empty()) {
    const MediaTrackSettings settings =
        config_.audioTrack->source ? config_.audioTrack->source->settings() : MediaTrackSettings{};
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
    audioRecorder_ = AudioTrackRecorder::create(encoderConfig, error);
    if (audioRecorder_) {
      const AudioEncoder& encoder = audioRecorder_->encoder();
      audioIndex_ = static_cast<uint32_t>(muxerTracks.size());
      muxerTracks.push_back(
          {AudioTrackInfo{config_.audioCodec, encoder.sampleRate(), encoder.channels(),
                          encoder.preSkip(), encoder.codecPrivate()},
           std::nullopt});
    }
  }
  if (!error.empty()) {
    // docs/conformance.md §2.2 step 15.2: the configuration turned out unsupported after
    // start().
    initFailed_ = true;
    end(EndReason::Failure, error);
    core_->queueEnd(shared_from_this(), DOMException("NotSupportedError", error), std::nullopt, 0);
    return false;
  }
  std::vector<uint32_t> timebases;
  for (const MuxerTrack& track : muxerTracks) timebases.push_back(track.timebase());
  interleaver_ = std::make_unique<Interleaver>(timebases);
  std::optional<uint32_t> keyFrameTrack;
  if (videoRecorder_ && formatOf(config_.format.container).blobsStartAtVideoKeyFrames &&
      config_.timeslice.value_or(0) > 0)
    keyFrameTrack = videoIndex_;
  chunker_ = std::make_unique<Chunker>(makeMuxer(config_.format.container, muxerTracks), timebases,
                                       config_.timeslice, keyFrameTrack);
  chunker_->writeHeader();
  initialized_ = true;
  core_->queueStart(shared_from_this(), config_.mimeType);
  return true;
}

void RecordingSession::encodeAudio(const AudioChunk& chunk) {
  if (!audioFormat_) audioFormat_.emplace(chunk.sampleRate, chunk.channels);
  if (!ensureInitialized() || !audioRecorder_ || audioFinished_) return;
  const uint32_t rate = audioRecorder_->encoder().sampleRate();
  if (!audioStartUs_) {
    audioStartUs_ = timeline_.audioStart(chunk);
    audioOffset_ = *audioStartUs_ * rate / 1000000;
  }
  packets_.clear();
  bool encoded = false;
  std::string error;
  try {
    encoded = audioRecorder_->process(chunk, packets_);
    if (!encoded) error = audioRecorder_->lastError();
  } catch (const std::exception& e) {
    // Out of memory, a resampler that could not be made: the spec's error path, not a crash.
    error = std::string("the encoder failed: ") + e.what();
  }
  if (!encoded) {
    failed_ = true;
    end(EndReason::Failure, error);
  }
  audioInputUs_ += double(chunk.frames) * 1e6 / chunk.sampleRate;
  timeline_.noteAudioEnd(*audioStartUs_ + static_cast<int64_t>(audioInputUs_));
  placeAudio(0);
  mux();
}

void RecordingSession::encodeVideo(const VideoChunk& frame) {
  if (!videoSize_) videoSize_.emplace(frame.width, frame.height);
  if (!ensureInitialized() || !videoRecorder_ || videoFinished_) return;
  const MediaTimeline::FrameTime time = timeline_.videoFrame(frame);
  const bool keyFrame = chunker_->keyFrameWantedAt(time.timeUs);
  packets_.clear();
  bool encoded = false;
  std::string error;
  try {
    encoded = videoRecorder_->process(frame, time.timeUs, time.durationUs, packets_, keyFrame);
    if (!encoded) error = videoRecorder_->lastError();
  } catch (const std::exception& e) {
    error = std::string("the video encoder failed: ") + e.what();
  }
  if (!encoded) {
    failed_ = true;
    end(EndReason::Failure, error);
  }
  for (EncodedPacket& packet : packets_) packet.track = videoIndex_;
  mux();
}

void RecordingSession::placeAudio(size_t from) {
  for (size_t i = from; i < packets_.size(); ++i) {
    packets_[i].timestamp += audioOffset_;
    packets_[i].track = audioIndex_;
  }
}

bool RecordingSession::finishAudio(std::string& error) {
  if (!audioRecorder_ || audioFinished_) return true;
  audioFinished_ = true;
  const size_t from = packets_.size();
  if (!audioRecorder_->finish(packets_)) {
    error = audioRecorder_->lastError();
    return false;
  }
  placeAudio(from);
  return true;
}

bool RecordingSession::finishVideo(std::string& error) {
  if (!videoRecorder_ || videoFinished_) return true;
  videoFinished_ = true;
  const size_t from = packets_.size();
  if (!videoRecorder_->finish(packets_)) {
    error = videoRecorder_->lastError();
    return false;
  }
  for (size_t i = from; i < packets_.size(); ++i) packets_[i].track = videoIndex_;
  return true;
}

void RecordingSession::finishEndedTracks() {
  if (!initialized_) return;
  packets_.clear();
  std::string error;
  bool finished = true;
  if (config_.audioTrack && !config_.audioTrack->live()) {
    finished = finishAudio(error) && finished;
    interleaver_->endTrack(audioIndex_);
  }
  if (config_.videoTrack && !config_.videoTrack->live()) {
    finished = finishVideo(error) && finished;
    interleaver_->endTrack(videoIndex_);
    chunker_->endKeyFrameTrack();
  }
  if (!finished) {
    failed_ = true;
    end(EndReason::Failure, error);
  }
  mux();
}

void RecordingSession::mux() {
  for (EncodedPacket& packet : packets_) interleaver_->push(std::move(packet));
  packets_.clear();
  released_.clear();
  interleaver_->pop(released_);
  for (const EncodedPacket& packet : released_)
    if (auto out = chunker_->add(packet)) deliver(std::move(out->bytes), out->timecode);
}

void RecordingSession::deliver(std::shared_ptr<const BlobStorage> bytes, double timecode) {
  core_->queueData(BlobAccess::make(std::move(bytes), config_.mimeType), timecode);
}

void RecordingSession::finish() {
  EndReason reason;
  std::string message, errorName;
  {
    std::lock_guard lock(endMutex_);
    reason = endReason_;
    message = endMessage_;
    errorName = endErrorName_;
  }
  const auto self = shared_from_this();
  if (initFailed_) return;  // its end was queued when initialisation failed
  if (reason == EndReason::Isolation) {
    // §2.2 step 15.4: the gathered data is discarded.
    ensureInitialized();
    core_->queueEnd(self, DOMException("SecurityError", message),
                    Blob(std::vector<uint8_t>{}, config_.mimeType), 0);
    return;
  }
  ensureInitialized();
  if (initFailed_) return;

  // Everything after the last cut goes into the one final Blob, so that an error path keeps
  // its exact order: error, dataavailable, stop.
  std::vector<Blob> parts;
  std::optional<double> timecode;
  auto append = [&](ChunkOut out) {
    if (!timecode) timecode = out.timecode;
    if (out.bytes) parts.push_back(BlobAccess::make(std::move(out.bytes), config_.mimeType));
  };
  packets_.clear();
  if (!failed_) {
    std::string finishError;
    const bool audioFinished = finishAudio(finishError);
    const bool videoFinished = finishVideo(finishError);
    if (!audioFinished || !videoFinished) {
      reason = EndReason::Failure;
      message = finishError;
      errorName = "UnknownError";
    }
  }
  for (EncodedPacket& packet : packets_) interleaver_->push(std::move(packet));
  released_.clear();
  interleaver_->drain(released_);
  for (const EncodedPacket& packet : released_)
    if (auto out = chunker_->add(packet)) append(std::move(*out));
  append(chunker_->finish());

  std::optional<DOMException> error;
  if (reason == EndReason::TrackSetChanged)
    error = DOMException("InvalidModificationError",
                         "a track was added to or removed from the recorded stream");
  else if (reason == EndReason::Failure)
    error = DOMException(errorName, message);
  core_->queueEnd(self, std::move(error), Blob(parts, config_.mimeType), timecode.value_or(0));
}

}  // namespace mrec::detail
