// The state a MediaRecorder shares with its recordings' workers and its queued events.
// It outlives the public object while tasks still refer to it; the public object is reached
// only through `owner`, under `dispatchMutex`, so no event runs once the destructor began.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mrec/media_recorder.h"

namespace mrec::detail {

class RecordingSession;

class RecorderCore : public std::enable_shared_from_this<RecorderCore> {
 public:
  RecorderCore(MediaRecorder* owner, std::shared_ptr<MediaStream> stream,
               const MediaRecorderOptions& options, std::shared_ptr<Executor> executor);

  // Set by the constructor, never changed.
  const std::shared_ptr<MediaStream> stream;
  const std::shared_ptr<Executor> executor;
  const std::string constrainedMimeType;
  const std::optional<uint32_t> constrainedBitsPerSecond;
  const std::optional<double> videoKeyFrameIntervalDuration;
  const std::optional<uint32_t> videoKeyFrameIntervalCount;
  const BitrateMode audioBitrateMode;

  // The spec's attributes and the current recording, guarded by `mutex`.
  mutable std::mutex mutex;
  RecordingState state = RecordingState::Inactive;
  std::string mimeType;
  uint32_t audioBitsPerSecond = 0;
  uint32_t videoBitsPerSecond = 0;
  std::shared_ptr<RecordingSession> session;               ///< the newest recording
  std::vector<std::shared_ptr<RecordingSession>> running;  ///< with a worker still running

  /// docs/conformance.md §2.8 "Inactivate the recorder"; `mutex` held.
  void inactivateLocked();
  /// Constructor steps 13-15 (and Inactivate step 3); `mutex` held or not yet shared.
  void applyConstructorBitratesLocked();

  // Events, queued on `executor` in the order of the calls.
  void queueStart(const std::shared_ptr<RecordingSession>& session, std::string extendedMimeType);
  void queueEvent(std::string type);
  void queueData(Blob data, double timecode);
  /// The last task of a recording: Inactivate (if it is still the current recording), then
  /// `error` if any, `dataavailable` with `data` if any, and `stop`.
  void queueEnd(const std::shared_ptr<RecordingSession>& session, std::optional<DOMException> error,
                std::optional<Blob> data, double timecode);
  /// A track was added to or removed from the stream: a task that ends the current recording
  /// with InvalidModificationError unless it was stopped in the meantime.
  void queueTrackSetCheck(const std::shared_ptr<RecordingSession>& session);

  /// Called by the destructor: no event reaches the public object after this returns.
  void detachOwner();

 private:
  void dispatch(const Event& event);

  std::recursive_mutex dispatchMutex_;
  MediaRecorder* owner_;  ///< guarded by dispatchMutex_
  const std::optional<uint32_t> audioBitsOption_, videoBitsOption_;
};

}  // namespace mrec::detail
