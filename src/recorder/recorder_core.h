// The state a MediaRecorder shares with its recordings' workers and its queued events.
// It outlives the public object while tasks still refer to it; the public object is reached
// only through `owner`, under `dispatchMutex`, so no event runs once the destructor began.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "mrec/media_recorder.h"
#include "recorder/recording_listener.h"

namespace mrec::detail {

class RecorderCore final : public RecordingListener,
                           public std::enable_shared_from_this<RecorderCore> {
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
  const std::optional<double> maxDuration;  ///< milliseconds of media
  const BitrateMode audioBitrateMode;

  // The spec's attributes and the current recording, guarded by `mutex`.
  mutable Mutex mutex;
  RecordingState state MREC_GUARDED_BY(mutex) = RecordingState::Inactive;
  std::string mimeType MREC_GUARDED_BY(mutex);
  uint32_t audioBitsPerSecond MREC_GUARDED_BY(mutex) = 0;
  uint32_t videoBitsPerSecond MREC_GUARDED_BY(mutex) = 0;
  /// The newest recording.
  std::shared_ptr<RecordingSession> session MREC_GUARDED_BY(mutex);
  /// The recordings that have not reported their last event yet.
  std::vector<std::shared_ptr<RecordingSession>> running MREC_GUARDED_BY(mutex);

  /// docs/conformance.md §2.8 "Inactivate the recorder".
  void inactivateLocked() MREC_REQUIRES(mutex);
  /// Constructor steps 13-15 (and Inactivate step 3).
  void applyConstructorBitratesLocked() MREC_REQUIRES(mutex);

  // RecordingListener: each call queues a task on `executor`, in the order of the calls.
  void recordingStarted(const std::shared_ptr<RecordingSession>& session,
                        std::string extendedMimeType) override;
  void recordingPaused() override;
  void recordingResumed() override;
  void dataAvailable(Blob data, double timecode) override;
  /// Inactivate (if it is still the current recording), then `error` if any,
  /// `dataavailable` with `data` if any, and `stop`.
  void recordingEnded(const std::shared_ptr<RecordingSession>& session,
                      std::optional<DOMException> error, std::optional<Blob> data,
                      double timecode) override;
  /// A task that ends the current recording with InvalidModificationError unless it was
  /// stopped in the meantime.
  void trackSetChanged(const std::shared_ptr<RecordingSession>& session) override;

  /// Called by the destructor: no event reaches the public object after this returns.
  void detachOwner();

 private:
  void dispatch(const Event& event);
  void queueEvent(std::string type);

  RecursiveMutex dispatchMutex_;
  MediaRecorder* owner_ MREC_GUARDED_BY(dispatchMutex_);
  const std::optional<uint32_t> audioBitsOption_, videoBitsOption_;
};

}  // namespace mrec::detail
