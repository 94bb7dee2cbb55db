// One recording: from start() to its `stop` event. Takes media and commands from its
// SessionQueue in one order, on the shared encode pool (encode_scheduler.h) whenever work is
// due, runs the RecordingPipeline (the media work, which has no thread of its own) and
// reports to its RecordingListener, in the spec's order, what becomes the recording's
// events. A new start() makes a new session, so a stop/start race never shares state.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/blob_storage.h"
#include "core/mutex.h"
#include "mrec/media_recorder.h"
#include "recorder/encode_scheduler.h"
#include "recorder/recording_listener.h"
#include "recorder/recording_pipeline.h"
#include "recorder/session_queue.h"
#include "stream/track_state.h"

namespace mrec::detail {

enum class EndReason {
  None,
  Stop,             ///< stop(): dataavailable, stop
  AllTracksEnded,   ///< dataavailable, stop
  TrackSetChanged,  ///< error InvalidModificationError, dataavailable, stop
  Isolation,        ///< error SecurityError, dataavailable (empty: data discarded), stop
  Failure,          ///< error UnknownError, dataavailable, stop
  MaxDuration,      ///< the media reached Config::maxDurationUs: dataavailable, stop
};

class RecordingSession final : public ScheduledWork,
                               public std::enable_shared_from_this<RecordingSession> {
 public:
  struct Config {
    RecordingPipeline::Config media;
    std::string mimeType;                    ///< the extended type, for `start` and every Blob
    std::shared_ptr<TrackState> audioTrack;  ///< null when the recording has no audio
    std::shared_ptr<TrackState> videoTrack;  ///< null when the recording has no video
    std::shared_ptr<StreamState> stream;
  };

  /// Runs on `scheduler`'s threads.
  RecordingSession(std::shared_ptr<RecordingListener> listener, Config config,
                   EncodeScheduler& scheduler = EncodeScheduler::shared());
  ~RecordingSession();

  /// Attaches to the track and the stream, and lets the work run once `previous` (null if
  /// none) has reported its last event: this recording reports nothing before that
  /// (docs/conformance.md decision 10).
  void begin(const std::shared_ptr<RecordingSession>& previous = nullptr);
  void pause();
  void resume();
  void requestData();
  /// Ends the recording for `reason`; only the first call has an effect. Returns whether it
  /// was this call. A Failure's error event carries `errorName` and `message`.
  bool end(EndReason reason, std::string message = {}, std::string errorName = "UnknownError");
  /// Ends without any further event; once it returns, the session's work does not run
  /// again (the recorder is being destroyed). Waits for a batch running on the pool.
  void abort();
  /// Whether the recording has reported its last event (or was aborted).
  bool isFinished() const;
  /// Calls `then` once the recording has reported its last event: at once if it has, else
  /// on the thread that reports it.
  void whenFinished(std::function<void()> then);
  void markStartDispatched() { startDispatched_ = true; }
  /// Live video frames dropped so far because the encoder was behind.
  uint64_t droppedVideoFrames() const;
  /// Media taken in so far, the longer of the tracks; safe from any thread.
  int64_t recordedMicros() const { return recordedUs_.load(std::memory_order_relaxed); }

 private:
  /// ScheduledWork: a batch of what is due.
  bool runDue() override;
  /// One item from the queue, other than End.
  void take(SessionItem& item) MREC_REQUIRES(runMutex_);
  /// No more work: the tracks let go, `finished` reported.
  void conclude() MREC_REQUIRES(runMutex_);
  /// Runs one step of the media work. An exception out of it (out of memory, a broken
  /// invariant) ends the recording with an error event, as a failure the work reports does.
  template <typename Step>
  void guarded(Step&& step) MREC_REQUIRES(runMutex_);
  /// Turns what the pipeline produced into events: `start`, Blobs, the end it asks for.
  void handle(RecordingPipeline::Output out) MREC_REQUIRES(runMutex_);
  void deliver(std::shared_ptr<const BlobStorage> bytes, double timecode);
  void finish() MREC_REQUIRES(runMutex_);
  void detach();
  std::vector<std::shared_ptr<TrackState>> tracks() const;

  const std::shared_ptr<RecordingListener> listener_;
  const Config config_;
  const std::shared_ptr<SessionQueue> queue_;
  std::shared_ptr<MediaSink> sink_;
  std::vector<TrackState::ObserverId> trackObservers_;  ///< one per track of tracks()
  StreamState::ObserverId streamObserver_ = 0;

  Mutex endMutex_;
  EndReason endReason_ MREC_GUARDED_BY(endMutex_) = EndReason::None;
  std::string endMessage_ MREC_GUARDED_BY(endMutex_);
  std::string endErrorName_ MREC_GUARDED_BY(endMutex_);

  std::atomic<bool> startDispatched_{false};
  std::atomic<int64_t> recordedUs_{0};
  std::atomic<bool> aborted_{false};
  /// Set at once when the stream's track set changes; the check that ends the recording for
  /// it runs later, as a task, and no end of the recording's own may come first.
  std::atomic<bool> trackSetChanged_{false};
  EncodeScheduler& scheduler_;
  /// Held while a batch runs, so that abort() waits for it.
  Mutex runMutex_;
  bool opened_ MREC_GUARDED_BY(runMutex_) = false;
  bool overflowReported_ MREC_GUARDED_BY(runMutex_) = false;
  mutable Mutex finishedMutex_;
  bool finished_ MREC_GUARDED_BY(finishedMutex_) = false;
  std::vector<std::function<void()>> whenFinished_ MREC_GUARDED_BY(finishedMutex_);

  /// The audio and video sources' settings at start(); set before the work first runs.
  std::pair<std::optional<MediaTrackSettings>, std::optional<MediaTrackSettings>> startSettings_;
  RecordingPipeline pipeline_ MREC_GUARDED_BY(runMutex_);
  /// The first failure the media work reported.
  std::optional<std::string> mediaError_ MREC_GUARDED_BY(runMutex_);
};

}  // namespace mrec::detail
