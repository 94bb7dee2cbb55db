// mediaDevices: walks the table of capture backends.
#include <cstdlib>
#include <cstring>

#include "mrec/media_devices.h"
#include "sources/capture_backend.h"
#include "sources/screen_capture.h"
#include "sources/v4l2_camera.h"

namespace mrec::mediaDevices {

namespace {

struct BackendEntry {
  const char* name;
  std::unique_ptr<detail::CaptureBackend> (*make)();
};
constexpr BackendEntry kBackends[] = {{"pulse", detail::makePulseBackend}};

std::unique_ptr<detail::CaptureBackend> chooseBackend() {
  const char* forced = std::getenv("MREC_CAPTURE_BACKEND");
  for (const auto& entry : kBackends)
    if (!forced || !*forced || std::strcmp(forced, entry.name) == 0) return entry.make();
  throw DOMException("NotReadableError",
                     std::string("MREC_CAPTURE_BACKEND names no capture backend: ") + forced);
}

}  // namespace

std::vector<MediaDeviceInfo> enumerateDevices() {
  std::vector<MediaDeviceInfo> devices;
  try {
    devices = chooseBackend()->enumerateAudioInputs();
  } catch (const DOMException&) {
    // no audio server: no audio inputs, as a browser with no microphone permission shows
  }
  const auto cameras = detail::enumerateV4l2Cameras();
  devices.insert(devices.end(), cameras.begin(), cameras.end());
  return devices;
}

std::shared_ptr<MediaStream> getUserMedia(const MediaStreamConstraints& constraints) {
  auto requested = [](const std::variant<bool, MediaTrackConstraints>& v) {
    return std::holds_alternative<MediaTrackConstraints>(v) || std::get<bool>(v);
  };
  if (!requested(constraints.audio) && !requested(constraints.video))
    throw TypeError("getUserMedia: neither audio nor video is requested");
  auto constraintsOf = [](const std::variant<bool, MediaTrackConstraints>& v) {
    return std::holds_alternative<MediaTrackConstraints>(v) ? std::get<MediaTrackConstraints>(v)
                                                            : MediaTrackConstraints{};
  };
  std::vector<std::shared_ptr<MediaStreamTrack>> tracks;
  if (requested(constraints.video))
    tracks.push_back(detail::openV4l2Camera(constraintsOf(constraints.video)));
  try {
    if (requested(constraints.audio))
      tracks.push_back(chooseBackend()->openAudioInput(constraintsOf(constraints.audio)));
  } catch (...) {
    for (const auto& track : tracks) track->stop();  // the camera is not left open
    throw;
  }
  return std::make_shared<MediaStream>(tracks);
}

std::shared_ptr<MediaStream> getDisplayMedia(const DisplayMediaStreamOptions& options) {
  auto requested = [](const std::variant<bool, MediaTrackConstraints>& v) {
    return std::holds_alternative<MediaTrackConstraints>(v) || std::get<bool>(v);
  };
  // Screen Capture: video is required; `video: false` is a TypeError.
  if (!requested(options.video)) throw TypeError("getDisplayMedia: video must be requested");
  if (requested(options.audio))
    throw DOMException("NotSupportedError", "getDisplayMedia: system audio is not captured");
  const MediaTrackConstraints video = std::holds_alternative<MediaTrackConstraints>(options.video)
                                          ? std::get<MediaTrackConstraints>(options.video)
                                          : MediaTrackConstraints{};
  return std::make_shared<MediaStream>(
      std::vector<std::shared_ptr<MediaStreamTrack>>{detail::openX11Screen(video)});
}

}  // namespace mrec::mediaDevices
