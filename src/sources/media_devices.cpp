// mediaDevices: walks the table of capture backends.
#include <cstdlib>
#include <cstring>

#include "mrec/media_devices.h"
#include "sources/capture_backend.h"
#include "sources/screen_capture.h"

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
  try {
    return chooseBackend()->enumerateAudioInputs();
  } catch (const DOMException&) {
    return {};  // no server: no devices, as a browser with no microphone permission shows
  }
}

std::shared_ptr<MediaStream> getUserMedia(const MediaStreamConstraints& constraints) {
  auto requested = [](const std::variant<bool, MediaTrackConstraints>& v) {
    return std::holds_alternative<MediaTrackConstraints>(v) || std::get<bool>(v);
  };
  if (!requested(constraints.audio) && !requested(constraints.video))
    throw TypeError("getUserMedia: neither audio nor video is requested");
  if (requested(constraints.video))
    throw DOMException("NotFoundError", "no video input: camera capture is not in this build yet");
  const MediaTrackConstraints audio =
      std::holds_alternative<MediaTrackConstraints>(constraints.audio)
          ? std::get<MediaTrackConstraints>(constraints.audio)
          : MediaTrackConstraints{};
  auto track = chooseBackend()->openAudioInput(audio);
  return std::make_shared<MediaStream>(std::vector<std::shared_ptr<MediaStreamTrack>>{track});
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
