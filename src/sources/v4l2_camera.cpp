// Video4Linux2 capture: memory-mapped streaming buffers, a thread that dequeues each frame,
// converts it to I420 with libyuv and hands it to the tracks as realtime media. A camera
// that is unplugged ends its tracks.
#include "sources/v4l2_camera.h"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libyuv/convert.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/clock.h"
#include "core/media_time.h"
#include "core/owned_thread.h"
#include "stream/track_state.h"

namespace mrec::detail {

namespace {

constexpr uint32_t kDefaultWidth = 640, kDefaultHeight = 480;
constexpr double kDefaultFrameRate = 30;
constexpr uint32_t kBufferCount = 4;
// The formats mrec converts, in order of preference: raw before compressed.
constexpr uint32_t kFormats[] = {V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_NV12, V4L2_PIX_FMT_YUV420,
                                 V4L2_PIX_FMT_MJPEG};

int xioctl(int fd, unsigned long request, void* arg) {
  int result;
  do {
    result = ioctl(fd, request, arg);
  } while (result == -1 && errno == EINTR);
  return result;
}

struct Camera {
  std::string path, card, bus;
};

std::vector<Camera> listCameras() {
  std::vector<Camera> cameras;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/dev", error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("video", 0) != 0) continue;
    const int fd = open(entry.path().c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    v4l2_capability caps{};
    if (xioctl(fd, VIDIOC_QUERYCAP, &caps) == 0) {
      const uint32_t device =
          caps.capabilities & V4L2_CAP_DEVICE_CAPS ? caps.device_caps : caps.capabilities;
      // Metadata nodes of the same camera cannot capture frames: left out.
      if ((device & V4L2_CAP_VIDEO_CAPTURE) && (device & V4L2_CAP_STREAMING))
        cameras.push_back({entry.path().string(), reinterpret_cast<const char*>(caps.card),
                           reinterpret_cast<const char*>(caps.bus_info)});
    }
    close(fd);
  }
  std::sort(cameras.begin(), cameras.end(),
            [](const Camera& a, const Camera& b) { return a.path < b.path; });
  return cameras;
}

[[noreturn]] void notReadable(const std::string& path, const std::string& what) {
  throw DOMException("NotReadableError", path + ": " + what + ": " + std::strerror(errno));
}

class V4l2Source final : public TrackSource, public std::enable_shared_from_this<V4l2Source> {
 public:
  V4l2Source(Camera camera, const MediaTrackConstraints& constraints) : camera_(std::move(camera)) {
    fd_ = open(camera_.path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) notReadable(camera_.path, "cannot open");
    try {
      configure(constraints);
      mapBuffers();
    } catch (...) {
      release();
      throw;
    }
  }
  ~V4l2Source() override { release(); }

  MediaTrackSettings settings() const override {
    MediaTrackSettings settings;
    settings.deviceId = camera_.path;
    settings.width = width_;
    settings.height = height_;
    settings.frameRate = frameRate_;
    return settings;
  }

  void run() {
    capture_ = OwnedThread([self = shared_from_this()] { self->capture(); });
  }

 private:
  void configure(const MediaTrackConstraints& constraints) {
    for (const uint32_t pixelFormat : kFormats) {
      v4l2_format format{};
      format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      format.fmt.pix.width = constraints.width.value_or(kDefaultWidth);
      format.fmt.pix.height = constraints.height.value_or(kDefaultHeight);
      format.fmt.pix.pixelformat = pixelFormat;
      format.fmt.pix.field = V4L2_FIELD_NONE;
      // The driver answers with the nearest size it has, or with another format.
      if (xioctl(fd_, VIDIOC_S_FMT, &format) == 0 && format.fmt.pix.pixelformat == pixelFormat) {
        pixelFormat_ = pixelFormat;
        width_ = format.fmt.pix.width;
        height_ = format.fmt.pix.height;
        stride_ = format.fmt.pix.bytesperline;
        break;
      }
    }
    if (!pixelFormat_)
      throw DOMException("NotReadableError",
                         camera_.path + " offers none of YUYV, NV12, YUV 4:2:0 or MJPEG");
    v4l2_streamparm parm{};
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    const double wanted = constraints.frameRate.value_or(kDefaultFrameRate);
    parm.parm.capture.timeperframe = {1000, static_cast<uint32_t>(std::lround(wanted * 1000))};
    if (xioctl(fd_, VIDIOC_S_PARM, &parm) == 0 && parm.parm.capture.timeperframe.numerator)
      frameRate_ = double(parm.parm.capture.timeperframe.denominator) /
                   parm.parm.capture.timeperframe.numerator;
    else
      frameRate_ = wanted;
  }

  void mapBuffers() {
    v4l2_requestbuffers request{};
    request.count = kBufferCount;
    request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    request.memory = V4L2_MEMORY_MMAP;
    if (xioctl(fd_, VIDIOC_REQBUFS, &request) != 0 || request.count == 0)
      notReadable(camera_.path, "no streaming buffers");
    for (uint32_t i = 0; i < request.count; ++i) {
      v4l2_buffer buffer{};
      buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      buffer.memory = V4L2_MEMORY_MMAP;
      buffer.index = i;
      if (xioctl(fd_, VIDIOC_QUERYBUF, &buffer) != 0) notReadable(camera_.path, "QUERYBUF");
      void* memory =
          mmap(nullptr, buffer.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, buffer.m.offset);
      if (memory == MAP_FAILED) notReadable(camera_.path, "mmap");
      buffers_.push_back({static_cast<uint8_t*>(memory), buffer.length});
      if (xioctl(fd_, VIDIOC_QBUF, &buffer) != 0) notReadable(camera_.path, "QBUF");
    }
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(fd_, VIDIOC_STREAMON, &type) != 0) notReadable(camera_.path, "STREAMON");
  }

  void release() {
    if (fd_ < 0) return;
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    xioctl(fd_, VIDIOC_STREAMOFF, &type);
    for (const auto& buffer : buffers_) munmap(buffer.data, buffer.length);
    buffers_.clear();
    close(fd_);
    fd_ = -1;
  }

  bool toI420(const uint8_t* data, size_t size, VideoChunk& frame) const {
    auto bytes = std::make_shared<std::vector<uint8_t>>(i420Size(width_, height_));
    const auto p = i420Planes(bytes->data(), width_, height_);
    const int w = p.width, h = p.height, cw = p.chromaWidth, ch = p.chromaHeight;
    uint8_t *y = p.y, *u = p.u, *v = p.v;
    const int stride = stride_ ? static_cast<int>(stride_) : w;
    int result = -1;
    switch (pixelFormat_) {
      case V4L2_PIX_FMT_YUYV:
        result = libyuv::YUY2ToI420(data, stride_ ? stride : 2 * w, y, w, u, cw, v, cw, w, h);
        break;
      case V4L2_PIX_FMT_NV12:
        result = libyuv::NV12ToI420(data, stride, data + size_t(stride) * h, stride, y, w, u, cw, v,
                                    cw, w, h);
        break;
      case V4L2_PIX_FMT_YUV420:
        result = libyuv::I420Copy(data, stride, data + size_t(stride) * h, stride / 2,
                                  data + size_t(stride) * h + size_t(stride / 2) * ch, stride / 2,
                                  y, w, u, cw, v, cw, w, h);
        break;
      case V4L2_PIX_FMT_MJPEG:
        result = libyuv::MJPGToI420(data, size, y, w, u, cw, v, cw, w, h, w, h);
        break;
    }
    if (result != 0) return false;  // a damaged frame (MJPEG): skipped, as a camera drops one
    frame.width = width_;
    frame.height = height_;
    frame.wallClock = true;
    frame.i420 = std::move(bytes);
    return true;
  }

  void capture() {
    while (hasLiveTracks()) {
      pollfd ready{fd_, POLLIN, 0};
      const int polled = poll(&ready, 1, 100);
      if (polled < 0 && errno == EINTR) continue;
      if (polled < 0 || (ready.revents & (POLLERR | POLLHUP | POLLNVAL))) break;  // unplugged
      if (polled == 0) continue;
      v4l2_buffer buffer{};
      buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      buffer.memory = V4L2_MEMORY_MMAP;
      if (xioctl(fd_, VIDIOC_DQBUF, &buffer) != 0) {
        if (errno == EAGAIN) continue;
        break;
      }
      VideoChunk frame;
      frame.timestamp = wallClockMicros();
      frame.duration = frameMicros(frameRate_);
      const bool converted = hasConsumers() && buffer.index < buffers_.size() &&
                             toI420(buffers_[buffer.index].data, buffer.bytesused, frame);
      xioctl(fd_, VIDIOC_QBUF, &buffer);
      if (converted) deliverVideo(frame, Delivery::Realtime);
    }
    endAllTracks();
  }

  struct Mapped {
    uint8_t* data;
    size_t length;
  };

  const Camera camera_;
  int fd_ = -1;
  uint32_t pixelFormat_ = 0;
  uint32_t width_ = 0, height_ = 0, stride_ = 0;
  double frameRate_ = kDefaultFrameRate;
  std::vector<Mapped> buffers_;
  OwnedThread capture_;  ///< holds the source until it returns
};

}  // namespace

std::vector<MediaDeviceInfo> enumerateV4l2Cameras() {
  std::vector<MediaDeviceInfo> devices;
  const auto cameras = listCameras();
  if (cameras.empty()) return devices;
  devices.push_back(
      {"default", "videoinput", "Default (" + cameras.front().card + ")", cameras.front().bus});
  for (const auto& camera : cameras)
    devices.push_back({camera.path, "videoinput", camera.card, camera.bus});
  return devices;
}

std::shared_ptr<MediaStreamTrack> openV4l2Camera(const MediaTrackConstraints& constraints) {
  const auto cameras = listCameras();
  if (cameras.empty())
    throw DOMException("NotFoundError", "no video input: no V4L2 camera under /dev/video*");
  const Camera* camera = &cameras.front();
  if (constraints.deviceId && *constraints.deviceId != "default") {
    const auto named = std::find_if(cameras.begin(), cameras.end(), [&](const Camera& c) {
      return c.path == *constraints.deviceId;
    });
    if (named == cameras.end())
      throw DOMException("OverconstrainedError",
                         "no video input has deviceId \"" + *constraints.deviceId + "\"");
    camera = &*named;
  }
  auto source = std::make_shared<V4l2Source>(*camera, constraints);
  auto state = std::make_shared<TrackState>("video", camera->card, source);
  source->addTrack(state);
  auto track = Access::makeTrack(std::move(state));
  source->run();
  return track;
}

}  // namespace mrec::detail
