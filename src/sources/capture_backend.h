// The interface every capture backend implements (cubeb-style: one file per backend, one
// table that mediaDevices walks). Backends throw the spec's DOMExceptions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mrec/media_devices.h"

namespace mrec::detail {

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

std::unique_ptr<CaptureBackend> makePulseBackend();

}  // namespace mrec::detail
