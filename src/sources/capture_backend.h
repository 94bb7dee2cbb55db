// The capture backends, one file per backend and one row per backend in each kind's table
// (capture_backends.cpp), which mediaDevices walks (cubeb's shape). A PipeWire camera or a
// Wayland screen is one more file and one more row; nothing else changes. Backends throw
// the spec's DOMExceptions.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "mrec/media_devices.h"

namespace mrec::detail {

/// Audio inputs: a connection to a sound server, made for each listing or open.
class CaptureBackend {
 public:
  virtual ~CaptureBackend() = default;
  virtual const char* name() const = 0;
  /// The backend's devices; throws NotReadableError if its server cannot be reached.
  virtual std::vector<MediaDeviceInfo> enumerateAudioInputs() = 0;
  /// A live audio track of the device the constraints select.
  virtual std::shared_ptr<MediaStreamTrack> openAudioInput(
      const MediaTrackConstraints& constraints) = 0;
};

struct AudioBackendRow {
  const char* name;  ///< what MREC_CAPTURE_BACKEND says to force it
  std::unique_ptr<CaptureBackend> (*make)();
};

/// Cameras: a stateless lister and opener.
struct CameraBackendRow {
  const char* name;  ///< what MREC_CAMERA_BACKEND says to force it
  /// "videoinput" devices, "default" first when there is any.
  std::vector<MediaDeviceInfo> (*enumerate)();
  /// A live video track of the camera the constraints select: NotFoundError when there is
  /// none, OverconstrainedError for a deviceId that names none of them.
  std::shared_ptr<MediaStreamTrack> (*open)(const MediaTrackConstraints& constraints);
};

/// Screens, for getDisplayMedia.
struct ScreenBackendRow {
  const char* name;  ///< what MREC_SCREEN_BACKEND says to force it
  /// A live video track of the screen: NotFoundError without a display to capture.
  std::shared_ptr<MediaStreamTrack> (*open)(const MediaTrackConstraints& constraints);
};

/// Each kind's table, the default backend first.
std::span<const AudioBackendRow> audioBackends();
std::span<const CameraBackendRow> cameraBackends();
std::span<const ScreenBackendRow> screenBackends();

/// The row the environment variable `forcedBy` names, or the first when it is unset or
/// empty; NotReadableError when it names no row.
template <typename Row>
const Row& chooseBackend(std::span<const Row> rows, const char* forcedBy);

}  // namespace mrec::detail
