// One recording: from start() to its `stop` event. Owns the worker thread that converts,
// encodes, muxes and cuts Blobs, and queues the recording's events in the spec's order.
// A new start() makes a new session, so a stop/start race never shares state.
#pragma once

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "codecs/audio_encoder.h"
#include "codecs/video_encoder.h"
#include "core/blob_storage.h"
#include "mrec/media_recorder.h"
#include "recorder/media_timeline.h"
#include "recorder/mime_type.h"
#include "recorder/session_queue.h"
#include "stream/track_state.h"

namespace mrec::detail {

class RecorderCore;
class AudioTrackRecorder;
class VideoTrackRecorder;
class Interleaver;
class Chunker;

enum class EndReason {
  None,
  Stop,             ///< stop(): dataavailable, stop
  AllTracksEnded,   ///< dataavailable, stop
  TrackSetChanged,  ///< error InvalidModificationError, dataavailable, stop
  Isolation,        ///< error SecurityError, dataavailable (empty: data discarded), stop
  Failure,          ///< error UnknownError, dataavailable, stop
};

class RecordingSession : public std::enable_shared_from_this<RecordingSession> {
 public:
  struct Config {
    RecordingFormat format;
    AudioCodec audioCodec = AudioCodec::Opus;
    std::optional<VideoCodec> videoCodec;  ///< set when the recording has video
    std::string mimeType;                  ///< the extended type, for `start` and every Blob
    std::optional<uint32_t> timeslice;
    uint32_t audioBitsPerSecond = 0;
    BitrateMode audioBitrateMode = BitrateMode::Variable;
    uint32_t videoBitsPerSecond = 0;
    std::optional<double> videoKeyFrameIntervalDuration;
    std::optional<uint32_t> videoKeyFrameIntervalCount;
    std::shared_ptr<TrackState> audioTrack;  ///< null when the recording has no audio
    std::shared_ptr<TrackState> videoTrack;  ///< null when the recording has no video
    std::shared_ptr<StreamState> stream;
  };

  /// `previous` becomes ready when the previous recording has queued its last event; this
  /// recording queues nothing before that (docs/conformance.md decision 10).
  RecordingSession(std::shared_ptr<RecorderCore> core, Config config,
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

 private:
  void run();
  /// Makes the encoders, the muxer and the chunker once every recorded track's format is
  /// known: from the sources' settings, from the first media, or else from defaults.
  bool ensureInitialized();
  void encodeAudio(const AudioChunk& chunk);
  void encodeVideo(const VideoChunk& frame);
  /// A recorded track ended while another goes on: its encoder's last packets go out.
  void finishEndedTracks();
  /// Audio packets in packets_ from `from` on: shifted to where the audio starts, numbered.
  void placeAudio(size_t from);
  /// Appends an encoder's last packets to packets_, once; false (and `error`) on failure.
  bool finishAudio(std::string& error);
  bool finishVideo(std::string& error);
  /// Hands the packets in `packets_` to the interleaver, and what it releases to the chunker.
  void mux();
  void deliver(std::shared_ptr<const BlobStorage> bytes, double timecode);
  void finish();
  void detach();
  std::vector<std::shared_ptr<TrackState>> tracks() const;

  const std::shared_ptr<RecorderCore> core_;
  const Config config_;
  const std::shared_future<void> previous_;
  const std::shared_ptr<SessionQueue> queue_;
  std::shared_ptr<MediaSink> sink_;
  std::vector<TrackState::ObserverId> trackObservers_;  ///< one per track of tracks()
  StreamState::ObserverId streamObserver_ = 0;

  std::mutex endMutex_;
  EndReason endReason_ = EndReason::None;  ///< guarded by endMutex_
  std::string endMessage_;                 ///< guarded by endMutex_
  std::string endErrorName_;               ///< guarded by endMutex_

  std::atomic<bool> startDispatched_{false};
  std::atomic<bool> aborted_{false};
  std::promise<void> finishedPromise_;
  std::shared_future<void> finished_;
  std::thread worker_;

  // Worker-thread state.
  bool initialized_ = false;
  bool initFailed_ = false;
  bool paused_ = false;
  bool failed_ = false;
  // The format of each recorded track, once known.
  std::optional<std::pair<uint32_t, uint32_t>> audioFormat_;  ///< sample rate, channels
  std::optional<std::pair<uint32_t, uint32_t>> videoSize_;    ///< width, height
  uint32_t audioIndex_ = 0, videoIndex_ = 0;                  ///< track numbers in the muxer
  std::unique_ptr<AudioTrackRecorder> audioRecorder_;
  std::unique_ptr<VideoTrackRecorder> videoRecorder_;
  bool audioFinished_ = false, videoFinished_ = false;
  MediaTimeline timeline_;
  std::optional<int64_t> audioStartUs_;  ///< where the audio starts in the recording
  int64_t audioOffset_ = 0;              ///< the same, in samples of the encoder's rate
  double audioInputUs_ = 0;              ///< audio taken in so far
  std::unique_ptr<Interleaver> interleaver_;
  std::unique_ptr<Chunker> chunker_;
  std::vector<EncodedPacket> packets_;
  std::vector<EncodedPacket> released_;
};

}  // namespace mrec::detail
