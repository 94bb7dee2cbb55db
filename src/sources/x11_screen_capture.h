// The X11 screen, for getDisplayMedia: the "x11" row of the screen backends
// (capture_backends.cpp).
#pragma once

#include <memory>

#include "mrec/media_devices.h"

namespace mrec::detail {

/// The X11 screen of $DISPLAY: NotFoundError without a display, NotReadableError if it
/// cannot be read.
std::shared_ptr<MediaStreamTrack> openX11Screen(const MediaTrackConstraints& constraints);

}  // namespace mrec::detail
