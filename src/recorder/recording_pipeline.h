// The media work of one recording, with no thread, queue or clock of its own: audio chunks
// and video frames in, Blob bytes out. It converts and encodes each track, places the
// packets on the recording's one timeline, holds each video packet for its duration,
// interleaves the tracks and cuts Blobs. The RecordingSession runs it on its worker and
// turns what each call returns into the spec's events; a test drives it directly, with
// made-up media and made-up wall-clock times, and reads the bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mrec/media_recorder.h"
#include "mrec/media_stream.h"
#include "recorder/audio_track_recorder.h"
#include "recorder/chunker.h"
#include "recorder/duration_hold.h"
#include "recorder/media_timeline.h"
#include "recorder/mime_type.h"
#include "recorder/video_track_recorder.h"
#include "stream/audio_chunk.h"
#include "stream/video_chunk.h"

namespace mrec::detail {

class Interleaver;

class RecordingPipeline {
 public:
  using Clock = DurationHold::Clock;

  struct Config {
    RecordingFormat format;
    AudioCodec audioCodec = AudioCodec::Opus;
    std::optional<VideoCodec> videoCodec;  ///< set when the recording has video
    bool hasAudio = false;
    std::optional<uint32_t> timeslice;
    uint32_t audioBitsPerSecond = 0;
    BitrateMode audioBitrateMode = BitrateMode::Variable;
    uint32_t videoBitsPerSecond = 0;
    std::optional<double> videoKeyFrameIntervalDuration;
    std::optional<uint32_t> videoKeyFrameIntervalCount;
    std::optional<int64_t> maxDurationUs;  ///< media after which the recording is complete
    /// How the encoders are made: the codecs' factories, or what a test wraps around them
    /// (an encoder that fails on demand).
    AudioTrackRecorder::EncoderFactory makeAudioEncoder = detail::makeAudioEncoder;
    VideoTrackRecorder::EncoderFactory makeVideoEncoder = detail::makeVideoEncoder;
  };

  /// Where a recording is. Media is taken only while Recording.
  enum class Phase {
    Opening,      ///< a recorded track's format is not known yet: nothing is encoded
    Recording,    ///< the header is written; media is encoded
    Paused,       ///< media is dropped; the timeline resumes where it stopped
    Failed,       ///< an encoder failed: media is dropped, what was encoded is kept
    Unsupported,  ///< the encoders could not be made for the media's format: nothing is kept
    Finished,     ///< finish() has returned the last bytes
  };

  /// What a call produced, in order: the header was written (the recording's `start`), Blobs
  /// cut by the timeslice, an error that ends the recording, the media reached maxDuration.
  struct Output {
    bool started = false;
    std::vector<ChunkOut> blobs;
    std::optional<std::string> error;
    bool complete = false;  ///< every track reached Config::maxDurationUs
  };

  explicit RecordingPipeline(Config config);
  ~RecordingPipeline();
  RecordingPipeline(const RecordingPipeline&) = delete;
  RecordingPipeline& operator=(const RecordingPipeline&) = delete;

  /// Called once, before any media: the sources' settings at start. A recording whose tracks'
  /// formats are all known here starts at once; otherwise at its first media, of either
  /// kind, the other track taking its source's settings or defaults.
  Output open(const std::optional<MediaTrackSettings>& audio,
              const std::optional<MediaTrackSettings>& video);
  /// Starts with default formats for what is still unknown: every command but a track's end
  /// comes after `start`.
  Output forceStart();

  Output addAudio(const AudioChunk& chunk, Clock::time_point now = Clock::now());
  Output addVideo(const VideoChunk& frame, Clock::time_point now = Clock::now());
  /// requestData(): everything muxed so far, the held video frame included, as the last of
  /// `blobs` (its bytes null if there are none); the next Blob's video starts with a key
  /// frame.
  Output cut(Clock::time_point now = Clock::now());
  /// The tracks whose source ended while the others go on: their encoders' last packets go
  /// out, and the interleaver stops waiting for them.
  Output endTracks(bool audioEnded, bool videoEnded, Clock::time_point now = Clock::now());
  void pause();
  void resume();
  /// The media work failed in a way no call reported (an exception out of it): the
  /// recording takes no more media, and `error` ends it.
  Output fail(std::string error);

  struct Final {
    std::vector<ChunkOut> parts;       ///< everything after the last Blob, in order
    std::optional<std::string> error;  ///< an encoder failed to finish
  };
  /// Flushes the encoders (unless one failed before), the held packets and the muxer.
  Final finish(Clock::time_point now = Clock::now());

  Phase phase() const { return phase_; }
  /// Media taken in so far, the longer of the tracks.
  int64_t recordedMicros() const { return recordedUs_; }
  /// How much more live audio completes the audio encoder's next packet, in microseconds
  /// (rounded up); nullopt while no audio is being encoded.
  std::optional<int64_t> audioMicrosUntilPacket() const;

 private:
  bool formatsKnown() const;
  /// Makes the encoders, the muxer and the chunker, and writes the header.
  void start(Output& out);
  void fail(Output& out, std::string error);
  void placeAudio(size_t from);
  void placeVideo(size_t from, Clock::time_point now);
  bool finishAudio(std::string& error);
  bool finishVideo(std::string& error, Clock::time_point now);
  void mux(Output& out, Clock::time_point now);
  void noteRecordedUntil(int64_t timeUs);
  void completeIfEveryTrackIsAtMaxDuration(Output& out);

  /// The state of one recorded track's encoding.
  enum class Track { Absent, Live, AtMaxDuration, Finished };
  static bool done(Track track) { return track != Track::Live; }

  const Config config_;
  Phase phase_ = Phase::Opening;
  Track audio_ = Track::Absent, video_ = Track::Absent;
  std::optional<MediaTrackSettings> audioSettings_, videoSettings_;
  // The format of each recorded track, once known.
  std::optional<std::pair<uint32_t, uint32_t>> audioFormat_;  ///< sample rate, channels
  std::optional<std::pair<uint32_t, uint32_t>> videoSize_;    ///< width, height
  uint32_t audioIndex_ = 0, videoIndex_ = 0;                  ///< track numbers in the muxer
  std::unique_ptr<AudioTrackRecorder> audioRecorder_;
  std::unique_ptr<VideoTrackRecorder> videoRecorder_;
  DurationHold videoHold_;  ///< the newest video packet, until the next gives its duration
  MediaTimeline timeline_;
  std::optional<int64_t> audioStartUs_;  ///< where the audio starts in the recording
  double audioInputUs_ = 0;              ///< audio taken in so far
  int64_t recordedUs_ = 0;
  int64_t videoEndUs_ = 0;  ///< where the video taken in so far ends
  std::unique_ptr<Interleaver> interleaver_;
  std::unique_ptr<Chunker> chunker_;
  std::vector<EncodedPacket> packets_;
  std::vector<EncodedPacket> released_;
};

}  // namespace mrec::detail
