#include "recorder/recorder_core.h"

#include "recorder/bitrate_policy.h"
#include "recorder/recording_session.h"

namespace mrec::detail {

RecorderCore::RecorderCore(MediaRecorder* owner, std::shared_ptr<MediaStream> stream,
                           const MediaRecorderOptions& options, std::shared_ptr<Executor> executor)
    : stream(std::move(stream)),
      executor(std::move(executor)),
      constrainedMimeType(options.mimeType),
      constrainedBitsPerSecond(options.bitsPerSecond),
      videoKeyFrameIntervalDuration(options.videoKeyFrameIntervalDuration),
      videoKeyFrameIntervalCount(options.videoKeyFrameIntervalCount),
      maxDuration(options.maxDuration),
      // Both modes are supported, so the requested one is kept (§2.1 step 16).
      audioBitrateMode(options.audioBitrateMode),
      owner_(owner),
      audioBitsOption_(options.audioBitsPerSecond),
      videoBitsOption_(options.videoBitsPerSecond) {
  mimeType = constrainedMimeType;
  applyConstructorBitratesLocked();
}

void RecorderCore::applyConstructorBitratesLocked() {
  // 13-14. The given values, or reasonable defaults.
  videoBitsPerSecond = videoBitsOption_.value_or(kDefaultVideoBitsPerSecond);
  audioBitsPerSecond = audioBitsOption_.value_or(kDefaultAudioBitsPerSecond);
  // 15. bitsPerSecond overrides both, split as if there were one track of each kind.
  if (constrainedBitsPerSecond) {
    const BitrateSplit split = splitBitrate(*constrainedBitsPerSecond, 1, 1);
    audioBitsPerSecond = split.audio;
    videoBitsPerSecond = split.video;
  }
}

void RecorderCore::inactivateLocked() {
  mimeType = constrainedMimeType;
  state = RecordingState::Inactive;
  if (constrainedBitsPerSecond) applyConstructorBitratesLocked();
}

void RecorderCore::dispatch(const Event& event) {
  RecursiveMutexLock lock(dispatchMutex_);
  if (!owner_) return;
  MediaRecorder& recorder = *owner_;
  // The handler is copied first: it may replace itself (`recorder.onstart = ...`) while running.
  if (event.type == "dataavailable") {
    if (auto handler = recorder.ondataavailable) handler(static_cast<const BlobEvent&>(event));
  } else if (event.type == "error") {
    if (auto handler = recorder.onerror) handler(static_cast<const ErrorEvent&>(event));
  } else {
    std::function<void(const Event&)> handler;
    if (event.type == "start") handler = recorder.onstart;
    if (event.type == "stop") handler = recorder.onstop;
    if (event.type == "pause") handler = recorder.onpause;
    if (event.type == "resume") handler = recorder.onresume;
    if (handler) handler(event);
  }
  // Any handler or listener may have destroyed the recorder; check before each next one.
  if (!owner_) return;
  for (const auto& [id, listener] : recorder.listenersFor(event.type)) {
    if (!owner_) return;
    if (recorder.hasListener(id) && *listener) (*listener)(event);
  }
}

void RecorderCore::detachOwner() {
  RecursiveMutexLock lock(dispatchMutex_);  // waits for a handler running on another thread
  owner_ = nullptr;
}

// Tasks hold the core and the session weakly: an executor that is never drained (or never
// destroyed) must not keep a destroyed recorder's pipeline alive.
void RecorderCore::recordingStarted(const std::shared_ptr<RecordingSession>& session,
                                    std::string extendedMimeType) {
  executor->post([weakSelf = weak_from_this(), weakSession = std::weak_ptr(session),
                  type = std::move(extendedMimeType)] {
    const auto self = weakSelf.lock();
    if (!self) return;
    // A recording stopped at once may have finished, and been released by a new start(),
    // before this task runs: its `start` still precedes its `dataavailable` and `stop`.
    const auto session = weakSession.lock();
    {
      MutexLock lock(self->mutex);
      // 15.3: mimeType becomes the full type just before `start`, unless the recording was
      // already stopped (then it stays the constrained type, as Inactivate left it).
      if (session && self->session == session && self->state != RecordingState::Inactive)
        self->mimeType = type;
    }
    if (session) session->markStartDispatched();
    self->dispatch(Event("start"));
  });
}

void RecorderCore::queueEvent(std::string type) {
  executor->post(
      [self = shared_from_this(), type = std::move(type)] { self->dispatch(Event(type)); });
}

void RecorderCore::recordingPaused() {
  queueEvent("pause");
}
void RecorderCore::recordingResumed() {
  queueEvent("resume");
}

void RecorderCore::dataAvailable(Blob data, double timecode) {
  executor->post([weakSelf = weak_from_this(), data = std::move(data), timecode] {
    if (const auto self = weakSelf.lock())
      self->dispatch(BlobEvent("dataavailable", {data, timecode}));
  });
}

void RecorderCore::recordingEnded(const std::shared_ptr<RecordingSession>& session,
                                  std::optional<DOMException> error, std::optional<Blob> data,
                                  double timecode) {
  executor->post([weakSelf = weak_from_this(), weakSession = std::weak_ptr(session),
                  error = std::move(error), data = std::move(data), timecode] {
    const auto self = weakSelf.lock();
    if (!self) return;
    const auto session = weakSession.lock();
    {
      MutexLock lock(self->mutex);
      if (session && self->session == session && self->state != RecordingState::Inactive)
        self->inactivateLocked();
    }
    if (error) {
      ErrorEvent event;
      event.error = *error;
      self->dispatch(event);
    }
    if (data) self->dispatch(BlobEvent("dataavailable", {*data, timecode}));
    self->dispatch(Event("stop"));
  });
}

void RecorderCore::trackSetChanged(const std::shared_ptr<RecordingSession>& session) {
  executor->post([weakSelf = weak_from_this(), weakSession = std::weak_ptr(session)] {
    const auto self = weakSelf.lock();
    const auto session = weakSession.lock();
    if (!self || !session) return;
    MutexLock lock(self->mutex);
    // 15.5, as a task: a stop() that ran before it wins, and no error is fired.
    if (self->session != session || self->state == RecordingState::Inactive) return;
    self->inactivateLocked();
    session->end(EndReason::TrackSetChanged);
  });
}

}  // namespace mrec::detail
