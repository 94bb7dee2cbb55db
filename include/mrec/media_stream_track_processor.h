// MediaStreamTrackProcessor of mediacapture-transform (extension): the raw media of a track,
// read as it flows, for a level meter, a waveform or any analysis. It never slows the track
// or its recorders: when the program reads too slowly the oldest data is dropped (counted).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <variant>

#include "mrec/media_data.h"
#include "mrec/media_stream.h"

namespace mrec {

struct MediaStreamTrackProcessorInit {
  std::shared_ptr<MediaStreamTrack> track;
  /// How many AudioData wait unread before the oldest is dropped (at least 1).
  uint16_t maxBufferSize = 10;
};

/// One read: `value` holds AudioData (from an audio track) unless `done`.
struct ReadableStreamReadResult {
  std::variant<std::monostate, AudioData, VideoFrame> value;
  bool done = false;
};

/// In JavaScript, `new MediaStreamTrackProcessor({track}).readable.getReader().read()`; here
/// the processor is its own reader. Audio arrives as interleaved F32 AudioData whose
/// timestamp counts the media from the processor's creation. Reads end (`done`) when the
/// track ends, after what was buffered has been read.
class MediaStreamTrackProcessor {
 public:
  /// TypeError without a track, or for a video track (video comes with issue 4);
  /// SecurityError for an isolated track. An ended track gives a stream that is done.
  explicit MediaStreamTrackProcessor(const MediaStreamTrackProcessorInit& init);
  ~MediaStreamTrackProcessor();
  MediaStreamTrackProcessor(const MediaStreamTrackProcessor&) = delete;
  MediaStreamTrackProcessor& operator=(const MediaStreamTrackProcessor&) = delete;

  /// Waits for the next value or the end.
  ReadableStreamReadResult read();
  /// As read(), but gives up after `timeout` (std::nullopt); a zero timeout polls.
  std::optional<ReadableStreamReadResult> read(std::chrono::milliseconds timeout);
  /// Ends the stream (reader.cancel()): buffered values are discarded, reads return done.
  void cancel();
  /// AudioData dropped so far because maxBufferSize were waiting unread.
  uint64_t droppedCount() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace mrec
