#include "recorder/recording_session.h"

#include <algorithm>

#include "core/blob_access.h"

namespace mrec::detail {

namespace {

// About a second of 10 ms device chunks (or 20 ms offline chunks): room for a worker that
// is briefly descheduled, small enough to keep memory bounded.
constexpr size_t kQueueChunkCapacity = 100;

std::optional<MediaTrackSettings> settingsOf(const std::shared_ptr<TrackState>& track) {
  if (!track) return std::nullopt;
  return track->source ? track->source->settings() : MediaTrackSettings{};
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

RecordingSession::RecordingSession(std::shared_ptr<RecordingListener> listener, Config config,
                                   EncodeScheduler& scheduler)
    : listener_(std::move(listener)),
      config_(std::move(config)),
      queue_(std::make_shared<SessionQueue>(kQueueChunkCapacity)),
      scheduler_(scheduler),
      pipeline_(config_.media) {}

RecordingSession::~RecordingSession() = default;

std::vector<std::shared_ptr<TrackState>> RecordingSession::tracks() const {
  std::vector<std::shared_ptr<TrackState>> tracks;
  if (config_.videoTrack) tracks.push_back(config_.videoTrack);
  if (config_.audioTrack) tracks.push_back(config_.audioTrack);
  return tracks;
}

void RecordingSession::begin(const std::shared_ptr<RecordingSession>& previous) {
  // The sources' formats as start() finds them, before any media reaches the recording: a
  // generator's settings follow the newest frame written, which may be many frames past
  // the first one the worker takes.
  startSettings_ = {settingsOf(config_.audioTrack), settingsOf(config_.videoTrack)};
  std::weak_ptr<RecordingSession> weak = shared_from_this();
  // Nothing runs before the previous recording has reported its last event; media queues.
  auto wake = std::make_shared<std::atomic<bool>>(!previous);
  queue_->setWake([weak, wake, &scheduler = scheduler_] {
    if (!wake->load()) return;
    if (const auto self = weak.lock()) scheduler.wake(self);
  });
  sink_ = std::make_shared<QueueSink>(queue_);
  streamObserver_ = config_.stream->addObserver([weak](StreamChange) {
    const auto self = weak.lock();
    if (!self) return;
    self->trackSetChanged_ = true;
    self->listener_->trackSetChanged(self);
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
    // A track that ended between start()'s check and now never delivers; the work sees it.
    if (!track->addSink(sink_)) queue_->pushCommand(SessionCommand::TrackEnded);
  }
  auto start = [weak, wake, &scheduler = scheduler_] {
    wake->store(true);
    if (const auto self = weak.lock()) scheduler.wake(self);
  };
  if (previous)
    previous->whenFinished(start);
  else
    start();  // opens the recording even if no media comes
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
  // A removed track that then ends (its last owner let it go) must not end the recording
  // before the queued track-set check: that check's error is the recording's end, unless a
  // stop() comes first.
  if (trackSetChanged_ && (reason == EndReason::AllTracksEnded || reason == EndReason::MaxDuration))
    return false;
  {
    MutexLock lock(endMutex_);
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
  MutexLock lock(runMutex_);  // a batch running now ends first
  if (!isFinished()) conclude();
}

bool RecordingSession::isFinished() const {
  MutexLock lock(finishedMutex_);
  return finished_;
}

void RecordingSession::whenFinished(std::function<void()> then) {
  {
    MutexLock lock(finishedMutex_);
    if (!finished_) {
      whenFinished_.push_back(std::move(then));
      return;
    }
  }
  then();
}

void RecordingSession::conclude() {
  detach();
  std::vector<std::function<void()>> then;
  {
    MutexLock lock(finishedMutex_);
    finished_ = true;
    then.swap(whenFinished_);
  }
  for (const auto& next : then) next();
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

namespace {

std::string failureOf(const std::exception& e) {
  return std::string("the recording failed: ") + e.what();
}

}  // namespace

template <typename Step>
void RecordingSession::guarded(Step&& step) {
  try {
    step();
  } catch (const std::exception& e) {
    handle(pipeline_.fail(failureOf(e)));
  }
}

bool RecordingSession::runDue() {
  // Enough for every item a realtime recording has due; an offline one yields to the others
  // after this many.
  constexpr int kItemsPerBatch = 64;
  MutexLock lock(runMutex_);
  if (isFinished()) return false;
  if (!opened_ && !aborted_) {
    opened_ = true;
    // Sources that know their format let the recording start before any media arrives.
    guarded([&]() MREC_REQUIRES(runMutex_) {
      handle(pipeline_.open(startSettings_.first, startSettings_.second));
    });
  }
  for (int i = 0; i < kItemsPerBatch && !aborted_; ++i) {
    if (!overflowReported_ && queue_->overflows() > 0) {
      overflowReported_ = true;
      // The encoder is sound: what was queued before the loss is still encoded and the file
      // is finished properly; the recording just cannot go on with a hole in it.
      end(EndReason::Failure,
          "the capture queue overflowed: the recorder could not keep up and media was lost (" +
              std::to_string(queue_->overflows()) + " times)");
    }
    std::optional<SessionItem> item = queue_->tryPop();
    if (!item) {
      queue_->wakeForAudio(pipeline_.audioMicrosUntilPacket());
      return false;
    }
    if (item->command == SessionCommand::End) {
      finish();
      conclude();
      return false;
    }
    guarded([&]() MREC_REQUIRES(runMutex_) { take(*item); });
  }
  if (aborted_) {
    conclude();
    return false;
  }
  return true;
}

void RecordingSession::take(SessionItem& item) {
  if (item.command != SessionCommand::None && item.command != SessionCommand::TrackEnded)
    handle(pipeline_.forceStart());  // `start` precedes every other event
  switch (item.command) {
    case SessionCommand::None:
      if (item.chunk.frames > 0) handle(pipeline_.addAudio(item.chunk));
      if (item.frame.i420) handle(pipeline_.addVideo(item.frame));
      break;
    case SessionCommand::Pause:
      pipeline_.pause();
      listener_->recordingPaused();
      break;
    case SessionCommand::Resume:
      pipeline_.resume();
      listener_->recordingResumed();
      break;
    case SessionCommand::RequestData:
      handle(pipeline_.cut());
      break;
    case SessionCommand::RequestEmptyData:
      listener_->dataAvailable(Blob(std::vector<uint8_t>{}, config_.mimeType), 0);
      break;
    case SessionCommand::TrackEnded: {
      const auto recorded = tracks();
      if (std::none_of(recorded.begin(), recorded.end(), [](const auto& t) { return t->live(); }))
        end(EndReason::AllTracksEnded);
      else
        handle(pipeline_.endTracks(config_.audioTrack && !config_.audioTrack->live(),
                                   config_.videoTrack && !config_.videoTrack->live()));
      break;
    }
    case SessionCommand::End:
      break;  // runDue() finishes the recording
  }
}

void RecordingSession::handle(RecordingPipeline::Output out) {
  if (out.started) listener_->recordingStarted(shared_from_this(), config_.mimeType);
  for (ChunkOut& blob : out.blobs) deliver(std::move(blob.bytes), blob.timecode);
  if (out.error) {
    if (!mediaError_) mediaError_ = *out.error;
    end(EndReason::Failure, *out.error);
    // docs/conformance.md §2.2 step 15.2: unsupported after start(), the recording ends
    // with a NotSupportedError and nothing else.
    if (pipeline_.phase() == RecordingPipeline::Phase::Unsupported)
      listener_->recordingEnded(shared_from_this(), DOMException("NotSupportedError", *out.error),
                                std::nullopt, 0);
  }
  if (out.complete) end(EndReason::MaxDuration);
  recordedUs_.store(pipeline_.recordedMicros(), std::memory_order_relaxed);
}

void RecordingSession::deliver(std::shared_ptr<const BlobStorage> bytes, double timecode) {
  listener_->dataAvailable(BlobAccess::make(std::move(bytes), config_.mimeType), timecode);
}

void RecordingSession::finish() {
  EndReason reason;
  std::string message, errorName;
  {
    MutexLock lock(endMutex_);
    reason = endReason_;
    message = endMessage_;
    errorName = endErrorName_;
  }
  const auto self = shared_from_this();
  using Phase = RecordingPipeline::Phase;
  if (pipeline_.phase() == Phase::Unsupported) return;  // its end was queued already
  guarded([&]() MREC_REQUIRES(runMutex_) { handle(pipeline_.forceStart()); });
  if (pipeline_.phase() == Phase::Unsupported) return;
  if (reason == EndReason::Isolation) {
    // §2.2 step 15.4: the gathered data is discarded.
    listener_->recordingEnded(self, DOMException("SecurityError", message),
                              Blob(std::vector<uint8_t>{}, config_.mimeType), 0);
    return;
  }

  // Everything after the last cut goes into the one final Blob, so that an error path keeps
  // its exact order: error, dataavailable, stop.
  RecordingPipeline::Final last;
  try {
    last = pipeline_.finish();
  } catch (const std::exception& e) {
    last.error = failureOf(e);
  }
  // A failure of the media work that came after stop() (the end it asked for was first) is
  // still the recording's error: the first failure is the one reported.
  if (mediaError_) last.error = mediaError_;
  if (last.error && reason != EndReason::Failure) {
    reason = EndReason::Failure;
    message = *last.error;
    errorName = "UnknownError";
  }
  std::vector<Blob> parts;
  std::optional<double> timecode;
  for (ChunkOut& out : last.parts) {
    if (!timecode) timecode = out.timecode;
    if (out.bytes) parts.push_back(BlobAccess::make(std::move(out.bytes), config_.mimeType));
  }

  std::optional<DOMException> error;
  if (reason == EndReason::TrackSetChanged)
    error = DOMException("InvalidModificationError",
                         "a track was added to or removed from the recorded stream");
  else if (reason == EndReason::Failure)
    error = DOMException(errorName, message);
  listener_->recordingEnded(self, std::move(error), Blob(parts, config_.mimeType),
                            timecode.value_or(0));
}

}  // namespace mrec::detail
