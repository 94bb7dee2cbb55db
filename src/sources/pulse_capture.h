// Audio inputs through PulseAudio (and PipeWire's pulse server): the "pulse" row of the
// audio backends (capture_backends.cpp).
#pragma once

#include <memory>

#include "sources/capture_backend.h"

namespace mrec::detail {

std::unique_ptr<CaptureBackend> makePulseBackend();

}  // namespace mrec::detail
