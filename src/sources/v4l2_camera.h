// Cameras through Video4Linux2 (the /dev/video* nodes that can capture), for getUserMedia
// and enumerateDevices: the "v4l2" row of the camera backends (capture_backends.cpp).
#pragma once

#include <memory>
#include <vector>

#include "mrec/media_devices.h"

namespace mrec::detail {

/// The capture nodes under /dev, as "videoinput" devices whose deviceId is the node's path;
/// "default" first when there is any.
std::vector<MediaDeviceInfo> enumerateV4l2Cameras();

/// A live video track of the camera the constraints select (the first if none is named):
/// NotFoundError when there is no camera, OverconstrainedError for a deviceId that names none
/// of them, NotReadableError when it cannot be opened or offers no format mrec reads (YUYV,
/// NV12, YUV 4:2:0, MJPEG).
std::shared_ptr<MediaStreamTrack> openV4l2Camera(const MediaTrackConstraints& constraints);

}  // namespace mrec::detail
