// One recording: from start() to its `stop` event. Owns the worker thread that takes media
// and commands from the SessionQueue in one order, runs the RecordingPipeline (the media
// work, which has no thread of its own) and reports to its RecordingListener, in the spec's
// order, what becomes the recording's events. A new start() makes a new session, so a
// stop/start race never shares state.
#pragma once

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/blob_storage.h"
#include "core/mutex.h"
#include "core/owned_thread.h"
#include "mrec/media_recorder.h"
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

class RecordingSession : public std::enable_shared_from_this<RecordingSession> {
 public:
  struct Config {
    RecordingPipeline::Config media;
    std::string mimeType;                    ///< the extended type, for `start` and every Blob
    std::shared_ptr<TrackState> audioTrack;  ///< null when the recording has no audio
    std::shared_ptr<TrackState> videoTrack;  ///< null when the recording has no video
    std::shared_ptr<StreamState> stream;
  };

  /// `previous` becomes ready when the previous recording has queued its last event; this
  /// recording queues nothing before that (docs/conformance.md decision 10).
  RecordingSession(std::shared_ptr<RecordingListener> listener, Config config,
                   std::shared_future<void> previous);
  ~RecordingSession();

  /// Attaches to the track and the stream, and starts the worker.
  void begin();
  void pause();
  void resume();
  void requestData();
  /// Ends the recording for `reason`; only the first call has an effect. Returns whether it
  /// was this call. A Failure's error event carries `errorName` and `message`.
  bool end(EndReason reason, std::string message = {}, std::string errorName = "UnknownError");
  /// Ends without any further event and joins the worker (the recorder is being destroyed).
  void abort();
  /// Joins the worker if it has finished; returns whether it had.
  bool reapIfFinished();

  /// Ready once this recording has queued its last event.
  std::shared_future<void> finished() const { return finished_; }
  void markStartDispatched() { startDispatched_ = true; }
  /// Live video frames dropped so far because the encoder was behind.
  uint64_t droppedVideoFrames() const;
  /// Media taken in so far, the longer of the tracks; safe from any thread.
  int64_t recordedMicros() const { return recordedUs_.load(std::memory_order_relaxed); }

 private:
  void run();
  /// One item from the queue, other than End.
  void take(SessionItem& item);
  /// Runs one step of the media work. An exception out of it (out of memory, a broken
  /// invariant) ends the recording with an error event, as a failure the work reports does.
  template <typename Step>
  void guarded(Step&& step);
  /// Turns what the pipeline produced into events: `start`, Blobs, the end it asks for.
  void handle(RecordingPipeline::Output out);
  void deliver(std::shared_ptr<const BlobStorage> bytes, double timecode);
  void finish();
  void detach();
  std::vector<std::shared_ptr<TrackState>> tracks() const;

  const std::shared_ptr<RecordingListener> listener_;
  const Config config_;
  const std::shared_future<void> previous_;
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
  std::promise<void> finishedPromise_;
  std::shared_future<void> finished_;
  OwnedThread worker_;

  /// The audio and video sources' settings at start(); set before the worker starts.
  std::pair<std::optional<MediaTrackSettings>, std::optional<MediaTrackSettings>> startSettings_;
  RecordingPipeline pipeline_;  ///< the worker's alone
  /// The first failure the media work reported; the worker's alone.
  std::optional<std::string> mediaError_;
};

}  // namespace mrec::detail
