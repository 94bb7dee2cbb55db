// The table of capture backends of each kind: the one place a backend is added.
#include <cstdlib>
#include <cstring>

#include "sources/capture_backend.h"
#include "sources/pulse_capture.h"
#include "sources/v4l2_camera.h"
#include "sources/x11_screen_capture.h"

namespace mrec::detail {

namespace {

constexpr AudioBackendRow kAudioBackends[] = {{"pulse", makePulseBackend}};
constexpr CameraBackendRow kCameraBackends[] = {{"v4l2", enumerateV4l2Cameras, openV4l2Camera}};
constexpr ScreenBackendRow kScreenBackends[] = {{"x11", openX11Screen}};

}  // namespace

std::span<const AudioBackendRow> audioBackends() {
  return kAudioBackends;
}
std::span<const CameraBackendRow> cameraBackends() {
  return kCameraBackends;
}
std::span<const ScreenBackendRow> screenBackends() {
  return kScreenBackends;
}

template <typename Row>
const Row& chooseBackend(std::span<const Row> rows, const char* forcedBy) {
  const char* forced = std::getenv(forcedBy);
  for (const Row& row : rows)
    if (!forced || !*forced || std::strcmp(forced, row.name) == 0) return row;
  std::string known;
  for (const Row& row : rows) known += std::string(known.empty() ? "" : ", ") + row.name;
  throw DOMException("NotReadableError", std::string(forcedBy) + " names no backend: " + forced +
                                             " (this build has: " + known + ")");
}

template const AudioBackendRow& chooseBackend(std::span<const AudioBackendRow>, const char*);
template const CameraBackendRow& chooseBackend(std::span<const CameraBackendRow>, const char*);
template const ScreenBackendRow& chooseBackend(std::span<const ScreenBackendRow>, const char*);

}  // namespace mrec::detail
