// getDisplayMedia on X11: the root window of $DISPLAY, read through the MIT-SHM extension
// (one copy, server to our memory) or, where the server has no SHM (a remote display), with
// plain GetImage. A thread of its own grabs at the frame rate; a grab can take milliseconds,
// which must not delay the shared ticker of the synthetic sources.
#include <sys/ipc.h>
#include <sys/shm.h>
#include <xcb/shm.h>
#include <xcb/xcb.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "core/clock.h"
#include "core/media_time.h"
#include "core/owned_thread.h"
#include "core/pixel_format.h"
#include "mrec/media_devices.h"
#include "sources/x11_screen_capture.h"
#include "stream/track_state.h"

namespace mrec::detail {

namespace {

constexpr double kDefaultFrameRate = 30;

class X11ScreenSource final : public TrackSource,
                              public std::enable_shared_from_this<X11ScreenSource> {
 public:
  X11ScreenSource(xcb_connection_t* connection, const xcb_screen_t& screen, std::string display,
                  double frameRate)
      : connection_(connection),
        root_(screen.root),
        width_(screen.width_in_pixels),
        height_(screen.height_in_pixels),
        display_(std::move(display)),
        frameRate_(frameRate) {
    setUpShm();
  }

  ~X11ScreenSource() override {
    if (shmSegment_) xcb_shm_detach(connection_, shmSegment_);
    if (shmMemory_) shmdt(shmMemory_);
    xcb_disconnect(connection_);
  }

  MediaTrackSettings settings() const override {
    MediaTrackSettings settings;
    settings.deviceId = "screen:" + display_;
    settings.width = width_;
    settings.height = height_;
    settings.frameRate = frameRate_;
    return settings;
  }

  /// Grabs one frame to find out whether the screen can be read at all.
  bool canGrab() {
    VideoChunk frame;
    return grab(frame);
  }

  void run() {
    capture_ = OwnedThread([self = shared_from_this()] { self->capture(); });
  }

 private:
  void setUpShm() {
    const auto* extension = xcb_get_extension_data(connection_, &xcb_shm_id);
    if (!extension || !extension->present) return;
    const size_t bytes = size_t{width_} * height_ * 4;
    const int id = shmget(IPC_PRIVATE, bytes, IPC_CREAT | 0600);
    if (id < 0) return;
    void* memory = shmat(id, nullptr, 0);
    const xcb_shm_seg_t segment = xcb_generate_id(connection_);
    xcb_generic_error_t* error = xcb_request_check(
        connection_, xcb_shm_attach_checked(connection_, segment, static_cast<uint32_t>(id), 0));
    shmctl(id, IPC_RMID, nullptr);  // freed once both sides have detached
    if (memory == reinterpret_cast<void*>(-1)) {
      std::free(error);
      return;
    }
    if (error) {  // a server on another machine cannot share our memory
      std::free(error);
      shmdt(memory);
      return;
    }
    shmMemory_ = static_cast<uint8_t*>(memory);
    shmSegment_ = segment;
  }

  /// The root window's pixels as I420; false if the server refused.
  bool grab(VideoChunk& frame) {
    const uint8_t* pixels = nullptr;
    xcb_get_image_reply_t* plain = nullptr;
    if (shmSegment_) {
      xcb_shm_get_image_reply_t* reply =
          xcb_shm_get_image_reply(connection_,
                                  xcb_shm_get_image(connection_, root_, 0, 0, width_, height_, ~0u,
                                                    XCB_IMAGE_FORMAT_Z_PIXMAP, shmSegment_, 0),
                                  nullptr);
      if (!reply) return false;
      std::free(reply);
      pixels = shmMemory_;
    } else {
      plain = xcb_get_image_reply(
          connection_,
          xcb_get_image(connection_, XCB_IMAGE_FORMAT_Z_PIXMAP, root_, 0, 0, width_, height_, ~0u),
          nullptr);
      if (!plain || xcb_get_image_data_length(plain) < int(size_t{width_} * height_ * 4)) {
        std::free(plain);
        return false;
      }
      pixels = xcb_get_image_data(plain);
    }
    // 24- and 32-bit visuals are laid out as B, G, R, X bytes: WebCodecs' BGRA, packed.
    frame.i420 = convertToI420(VideoPixelFormat::BGRA, pixels, width_, height_);
    std::free(plain);
    frame.width = width_;
    frame.height = height_;
    frame.wallClock = true;
    return true;
  }

  void capture() {
    const auto period = std::chrono::duration<double>(1.0 / frameRate_);
    auto next = std::chrono::steady_clock::now();
    while (hasLiveTracks()) {
      if (hasConsumers()) {
        VideoChunk frame;
        frame.timestamp = wallClockMicros();
        frame.duration = frameMicros(frameRate_);
        if (!grab(frame)) break;  // the server went away
        deliverVideo(frame, Delivery::Realtime);
      }
      next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(period);
      const auto now = std::chrono::steady_clock::now();
      if (next < now) next = now;  // a screen skips frames it was too late for
      std::this_thread::sleep_until(next);
    }
    endAllTracks();
  }

  xcb_connection_t* const connection_;
  const xcb_window_t root_;
  const uint16_t width_, height_;
  const std::string display_;
  const double frameRate_;
  uint8_t* shmMemory_ = nullptr;
  xcb_shm_seg_t shmSegment_ = 0;
  OwnedThread capture_;  ///< holds the source until it returns
};

}  // namespace

std::shared_ptr<MediaStreamTrack> openX11Screen(const MediaTrackConstraints& constraints) {
  const char* display = std::getenv("DISPLAY");
  if (!display || !*display)
    throw DOMException("NotFoundError", "no screen to capture: DISPLAY is not set");
  int screenNumber = 0;
  xcb_connection_t* connection = xcb_connect(display, &screenNumber);
  if (xcb_connection_has_error(connection)) {
    xcb_disconnect(connection);
    throw DOMException("NotReadableError",
                       std::string("cannot connect to the X display ") + display);
  }
  xcb_screen_iterator_t screens = xcb_setup_roots_iterator(xcb_get_setup(connection));
  for (int i = 0; i < screenNumber && screens.rem; ++i) xcb_screen_next(&screens);
  if (!screens.rem || !screens.data) {
    xcb_disconnect(connection);
    throw DOMException("NotFoundError", std::string("the X display ") + display + " has no screen");
  }
  const double frameRate = constraints.frameRate.value_or(kDefaultFrameRate);
  if (!(frameRate > 0 && frameRate <= 240)) {
    xcb_disconnect(connection);
    throw DOMException("OverconstrainedError", "frameRate must be within (0, 240]");
  }
  auto source = std::make_shared<X11ScreenSource>(connection, *screens.data, display, frameRate);
  if (!source->canGrab())
    throw DOMException("NotReadableError",
                       std::string("the screen of ") + display + " cannot be read");
  auto state = std::make_shared<TrackState>("video", std::string("Screen ") + display, source);
  source->addTrack(state);
  auto track = Access::makeTrack(std::move(state));
  source->run();
  return track;
}

}  // namespace mrec::detail
