#include "recorder/recording_session.h"

#include "codecs/opus_encoder.h"
#include "core/blob_access.h"
#include "recorder/audio_track_recorder.h"
#include "recorder/chunker.h"
#include "recorder/recorder_core.h"

namespace mrec::detail {

namespace {

// About a second of 10 ms device chunks (or 20 ms offline chunks): room for a worker that
// is briefly descheduled, small enough to keep memory bounded.
constexpr size_t kQueueChunkCapacity = 100;
constexpr uint32_t kDefaultSampleRate = 48000;
constexpr uint32_t kDefaultChannels = 1;

class QueueSink final : public MediaSink {
 public:
  explicit QueueSink(std::shared_ptr<SessionQueue> queue) : queue_(std::move(queue)) {}
  void onAudio(const AudioChunk& chunk, Delivery delivery) override {
    queue_->pushChunk(chunk, delivery);
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

void RecordingSession::begin() {
  std::weak_ptr<RecordingSession> weak = shared_from_this();
  sink_ = std::make_shared<QueueSink>(queue_);
  const auto& track = config_.audioTrack;
  trackObserver_ =
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
      });
  streamObserver_ = config_.stream->addObserver([weak](StreamChange) {
    if (const auto self = weak.lock()) self->core_->queueTrackSetCheck(self);
  });
  // A track that ended between start()'s check and now never delivers; the worker sees it.
  if (!track->addSink(sink_)) queue_->pushCommand(SessionCommand::TrackEnded);
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
  config_.audioTrack->removeSink(sink_.get());
  config_.audioTrack->removeObserver(trackObserver_);
  config_.stream->removeObserver(streamObserver_);
  queue_->close();  // releases a paced source waiting for room
}

void RecordingSession::run() {
  if (previous_.valid()) previous_.wait();
  const MediaTrackSettings settings =
      config_.audioTrack->source ? config_.audioTrack->source->settings() : MediaTrackSettings{};
  if (!aborted_ && settings.sampleRate && settings.channelCount)
    ensureInitialized(*settings.sampleRate, *settings.channelCount);

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
      initializeWithDefaults();  // `start` precedes every other event
    switch (item.command) {
      case SessionCommand::None:
        if (item.chunk.frames > 0 && !paused_ && !failed_) encode(item.chunk);
        break;
      case SessionCommand::Pause:
        paused_ = true;
        core_->queueEvent("pause");
        break;
      case SessionCommand::Resume:
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
      case SessionCommand::TrackEnded:
        if (!config_.audioTrack->live()) end(EndReason::AllTracksEnded);
        break;
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

bool RecordingSession::ensureInitialized(uint32_t sampleRate, uint32_t channels) {
  if (initialized_ || initFailed_) return initialized_;
  AudioEncoderConfig encoderConfig;
  encoderConfig.codec = config_.audioCodec;
  encoderConfig.inputSampleRate = sampleRate;
  encoderConfig.channels =
      config_.audioCodec == AudioCodec::Opus ? std::min(channels, 2u) : channels;
  encoderConfig.bitsPerSecond = config_.audioBitsPerSecond;
  encoderConfig.bitrateMode = config_.audioBitrateMode;
  std::string error;
  trackRecorder_ = AudioTrackRecorder::create(encoderConfig, error);
  if (!trackRecorder_) {
    // SPEC.md §2.2 step 15.2: the configuration turned out unsupported after start().
    initFailed_ = true;
    end(EndReason::Failure, error);
    core_->queueEnd(shared_from_this(), DOMException("NotSupportedError", error), std::nullopt, 0);
    return false;
  }
  const AudioEncoder& encoder = trackRecorder_->encoder();
  AudioTrackInfo info{config_.audioCodec, encoder.sampleRate(), encoder.channels(),
                      encoder.preSkip(), encoder.codecPrivate()};
  chunker_ = std::make_unique<Chunker>(makeMuxer(config_.format.container, info),
                                       encoder.sampleRate(), config_.timeslice);
  chunker_->writeHeader();
  initialized_ = true;
  core_->queueStart(shared_from_this(), config_.mimeType);
  return true;
}

void RecordingSession::initializeWithDefaults() {
  if (initialized_ || initFailed_) return;
  const MediaTrackSettings settings =
      config_.audioTrack->source ? config_.audioTrack->source->settings() : MediaTrackSettings{};
  ensureInitialized(settings.sampleRate.value_or(kDefaultSampleRate),
                    settings.channelCount.value_or(kDefaultChannels));
}

void RecordingSession::encode(const AudioChunk& chunk) {
  if (!ensureInitialized(chunk.sampleRate, chunk.channels)) return;
  packets_.clear();
  bool encoded = false;
  std::string error;
  try {
    encoded = trackRecorder_->process(chunk, packets_);
    if (!encoded) error = trackRecorder_->lastError();
  } catch (const std::exception& e) {
    // Out of memory, a resampler that could not be made: the spec's error path, not a crash.
    error = std::string("the encoder failed: ") + e.what();
  }
  if (!encoded) {
    failed_ = true;
    end(EndReason::Failure, error);
  }
  for (const EncodedPacket& packet : packets_)
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
    initializeWithDefaults();
    core_->queueEnd(self, DOMException("SecurityError", message),
                    Blob(std::vector<uint8_t>{}, config_.mimeType), 0);
    return;
  }
  initializeWithDefaults();
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
  if (!failed_ && !trackRecorder_->finish(packets_)) {
    reason = EndReason::Failure;
    message = trackRecorder_->lastError();
    errorName = "UnknownError";
  }
  for (const EncodedPacket& packet : packets_)
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
