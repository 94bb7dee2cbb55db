// What a recording reports to the recorder that started it: the session's only way up.
// RecordingSession knows this interface, never RecorderCore, so the session can be driven
// and observed without a MediaRecorder, and the recorder's state stays the recorder's.
// (The shape of Chromium's MediaRecorderHandler::CallbackInterface.)
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "mrec/blob.h"
#include "mrec/errors.h"

namespace mrec::detail {

class RecordingSession;

class RecordingListener {
 public:
  // Each call comes from the recording's worker, in the order of the recording's media and
  // commands, except trackSetChanged (from the thread that changed the stream). The listener
  // turns each into a task and must not block.

  /// The container header is written: `start`, and mimeType becomes `extendedMimeType`.
  virtual void recordingStarted(const std::shared_ptr<RecordingSession>& session,
                                std::string extendedMimeType) = 0;
  virtual void recordingPaused() = 0;
  virtual void recordingResumed() = 0;
  virtual void dataAvailable(Blob data, double timecode) = 0;
  /// The recording's last call: `error` if any, `dataavailable` with `data` if any, `stop`.
  virtual void recordingEnded(const std::shared_ptr<RecordingSession>& session,
                              std::optional<DOMException> error, std::optional<Blob> data,
                              double timecode) = 0;
  /// A track was added to or removed from the recorded stream; the listener decides, later,
  /// whether that still ends the recording (a stop() in between wins).
  virtual void trackSetChanged(const std::shared_ptr<RecordingSession>& session) = 0;

 protected:
  ~RecordingListener() = default;
};

}  // namespace mrec::detail
