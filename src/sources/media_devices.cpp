// mediaDevices: walks the tables of capture backends (capture_backend.h).
#include "mrec/media_devices.h"
#include "sources/capture_backend.h"

namespace mrec::mediaDevices {

namespace {

const detail::AudioBackendRow& audioBackend() {
  return detail::chooseBackend(detail::audioBackends(), "MREC_CAPTURE_BACKEND");
}
const detail::CameraBackendRow& cameraBackend() {
  return detail::chooseBackend(detail::cameraBackends(), "MREC_CAMERA_BACKEND");
}
const detail::ScreenBackendRow& screenBackend() {
  return detail::chooseBackend(detail::screenBackends(), "MREC_SCREEN_BACKEND");
}

}  // namespace

std::vector<MediaDeviceInfo> enumerateDevices() {
  std::vector<MediaDeviceInfo> devices;
  try {
    devices = audioBackend().make()->enumerateAudioInputs();
  } catch (const DOMException&) {
    // no audio server: no audio inputs, as a browser with no microphone permission shows
  }
  try {
    const auto cameras = cameraBackend().enumerate();
    devices.insert(devices.end(), cameras.begin(), cameras.end());
  } catch (const DOMException&) {
    // MREC_CAMERA_BACKEND names no backend: no cameras, as for audio above
  }
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
    tracks.push_back(cameraBackend().open(constraintsOf(constraints.video)));
  try {
    if (requested(constraints.audio))
      tracks.push_back(audioBackend().make()->openAudioInput(constraintsOf(constraints.audio)));
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
      std::vector<std::shared_ptr<MediaStreamTrack>>{screenBackend().open(video)});
}

}  // namespace mrec::mediaDevices
