// Capture devices, as in Media Capture and Streams' navigator.mediaDevices.
//
//   for (const auto& device : mrec::mediaDevices::enumerateDevices())
//     std::cout << device.kind << " " << device.deviceId << " " << device.label << "\n";
//   auto stream = mrec::mediaDevices::getUserMedia({.audio = true});   // the default microphone
//   mrec::MediaTrackConstraints mic;
//   mic.deviceId = "alsa_input.usb-...";  // exact: OverconstrainedError if there is none
//   auto other = mrec::mediaDevices::getUserMedia({.audio = mic});
//   auto screen = mrec::mediaDevices::getDisplayMedia();   // the X11 screen of $DISPLAY
//
// Audio is captured through PulseAudio (and PipeWire's pulse server), cameras through
// Video4Linux2, the screen through X11. For tests and for machines with several backends of
// a kind, environment variables name the one to use: MREC_CAPTURE_BACKEND (audio: "pulse"),
// MREC_CAMERA_BACKEND ("v4l2") and MREC_SCREEN_BACKEND ("x11"); a name this build does not
// have is a NotReadableError when a device is opened (and lists no device of that kind).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mrec/media_stream.h"

namespace mrec {

struct MediaDeviceInfo {
  std::string deviceId, kind, label, groupId;  ///< kind: "audioinput", "videoinput", "audiooutput"
};

struct MediaTrackConstraints {
  std::optional<std::string> deviceId;
  std::optional<uint32_t> sampleRate, channelCount, width, height;
  std::optional<double> frameRate;
};

struct MediaStreamConstraints {
  std::variant<bool, MediaTrackConstraints> audio = false;
  std::variant<bool, MediaTrackConstraints> video = false;
};

struct DisplayMediaStreamOptions {
  std::variant<bool, MediaTrackConstraints> video = true;
  std::variant<bool, MediaTrackConstraints> audio = false;
};

namespace mediaDevices {
/// The capture devices: audio inputs (none when no audio server can be reached), then V4L2
/// cameras ("videoinput"); "default" is listed first for each kind that has devices.
std::vector<MediaDeviceInfo> enumerateDevices();
/// TypeError if neither audio nor video is requested; NotFoundError if there is no such input,
/// NotReadableError if the audio server cannot be reached or the device opened,
/// OverconstrainedError for an exact deviceId that does not exist. Video comes from V4L2
/// cameras (deviceId: the /dev/video* path; width, height and frameRate are asked of the
/// driver, which picks the nearest it has).
std::shared_ptr<MediaStream> getUserMedia(const MediaStreamConstraints& constraints);
/// The X11 screen of $DISPLAY as a video track (frameRate from the constraints, default 30;
/// the screen's size). TypeError if video is not requested; NotSupportedError for audio;
/// NotFoundError when there is no display; NotReadableError when it cannot be read.
std::shared_ptr<MediaStream> getDisplayMedia(const DisplayMediaStreamOptions& options = {});
}  // namespace mediaDevices

}  // namespace mrec
