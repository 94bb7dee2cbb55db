// MediaRecorder, as in the W3C MediaStream Recording spec.
//
//   auto stream = std::make_shared<mrec::MediaStream>(
//       std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{mrec::createToneTrack()});
//   mrec::MediaRecorder recorder(stream, {.mimeType = "audio/ogg;codecs=opus"});
//   std::vector<mrec::Blob> chunks;
//   recorder.ondataavailable = [&](const mrec::BlobEvent& e) { chunks.push_back(e.data); };
//   recorder.onstop = [&](const mrec::Event&) {
//     mrec::Blob clip(chunks, recorder.mimeType());   // one playable file
//   };
//   recorder.start(1000);                             // a Blob per second of media
//   ...
//   recorder.stop();
//
// Methods change `state()` synchronously and may be called from any thread, including
// from inside a handler. Events run one at a time, in the spec's order, on the executor
// given to the constructor (by default `defaultExecutor()`).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mrec/events.h"
#include "mrec/executor.h"
#include "mrec/media_stream.h"

namespace mrec {

namespace detail {
class RecorderCore;
}

enum class RecordingState { Inactive, Recording, Paused };
enum class BitrateMode { Constant, Variable };
/// "inactive", "recording", "paused"
const char* toString(RecordingState state);
/// "constant", "variable"
const char* toString(BitrateMode mode);

struct MediaRecorderOptions {
  std::string mimeType;
  std::optional<uint32_t> audioBitsPerSecond, videoBitsPerSecond, bitsPerSecond;
  BitrateMode audioBitrateMode = BitrateMode::Variable;
  std::optional<double> videoKeyFrameIntervalDuration;  ///< milliseconds
  std::optional<uint32_t> videoKeyFrameIntervalCount;
  /// Extension: milliseconds of media after which a recording stops by itself, as stop()
  /// would (dataavailable, stop), holding exactly that much: audio to the sample, the video
  /// frames that start before it. Paused time does not count. Counted in media, not wall
  /// time, so a device that starts late still gives the whole length. nullopt: until stop().
  /// TypeError from the constructor unless finite and above 0.
  std::optional<double> maxDuration;
};

class MediaRecorder : public EventTarget {
 public:
  /// Throws NotSupportedError if `options.mimeType` is not empty and not supported, or if
  /// both key-frame interval options are given.
  explicit MediaRecorder(std::shared_ptr<MediaStream> stream,
                         const MediaRecorderOptions& options = {},
                         std::shared_ptr<Executor> eventExecutor = defaultExecutor());
  /// Stops a recording in progress; no event of this recorder runs once the destructor has
  /// begun. Safe from any thread and from inside this recorder's own handlers.
  ~MediaRecorder() override;
  MediaRecorder(const MediaRecorder&) = delete;
  MediaRecorder& operator=(const MediaRecorder&) = delete;

  std::shared_ptr<MediaStream> stream() const;
  /// The constrained type until `start` fires, then the full type being recorded
  /// (e.g. "audio/ogg;codecs=opus"), then the constrained type again once inactive.
  std::string mimeType() const;
  RecordingState state() const;
  uint32_t videoBitsPerSecond() const;
  uint32_t audioBitsPerSecond() const;
  BitrateMode audioBitrateMode() const;
  /// Extension: live video frames the current (or last) recording dropped because its
  /// encoder fell behind a busy machine, as browsers drop them. The recording goes on, its
  /// timeline intact (a dropped frame's predecessor shows longer) and its audio whole; a
  /// paced source is waited for instead, so offline recordings never drop. 0 before start.
  uint64_t droppedVideoFrames() const;
  /// Extension: milliseconds of media the current (or last) recording has taken in so far
  /// (the longer of its audio and video); 0 before start. For a progress display: it moves
  /// with each chunk captured, where dataavailable's timecode moves with each Blob.
  double recordedDuration() const;

  /// Records until stop(); one Blob at the end (and at each requestData()).
  void start();
  /// Delivers a Blob each `timeslice` ms of media (0: each muxed unit as soon as it exists).
  void start(uint32_t timeslice);
  void stop();
  /// Extension: stops through the spec's error path, for a program whose own output failed
  /// (a full disk, say): the state is inactive at once; then `error` (carrying `error`),
  /// `dataavailable` with what was not yet delivered, and `stop` fire, as for a recording
  /// error the recorder met itself. Does nothing when inactive, as stop().
  void stopWithError(const DOMException& error);
  void pause();
  void resume();
  void requestData();
  /// True for exactly the types this build can record ("" included).
  static bool isTypeSupported(std::string_view type);

  std::function<void(const Event&)> onstart, onstop, onpause, onresume;
  std::function<void(const BlobEvent&)> ondataavailable;
  std::function<void(const ErrorEvent&)> onerror;

 private:
  friend class detail::RecorderCore;
  void startRecording(std::optional<uint32_t> timeslice);

  std::shared_ptr<detail::RecorderCore> core_;
};

}  // namespace mrec
