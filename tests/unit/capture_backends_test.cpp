// The tables of capture backends: each kind's backend is a row, and the environment can
// force one by name.
#include "sources/capture_backend.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace mrec {

namespace {

/// The DOMException `f` throws, as "Name: message".
template <typename F>
std::string refusal(F f) {
  try {
    f();
  } catch (const DOMException& e) {
    return e.name() + ": " + e.message();
  }
  return "(nothing)";
}

/// Sets an environment variable for the scope of one test, and puts back what it was.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST(CaptureBackends, EachKindHasItsBackendAsTheFirstRow) {
  EXPECT_STREQ(detail::audioBackends().front().name, "pulse");
  EXPECT_STREQ(detail::cameraBackends().front().name, "v4l2");
  EXPECT_STREQ(detail::screenBackends().front().name, "x11");
}

TEST(CaptureBackends, ABackendTheBuildDoesNotHaveIsRefusedByName) {
  const ScopedEnv camera("MREC_CAMERA_BACKEND", "pipewire");
  const ScopedEnv screen("MREC_SCREEN_BACKEND", "wayland");
  EXPECT_EQ(refusal([] { mediaDevices::getUserMedia({.video = true}); }),
            "NotReadableError: MREC_CAMERA_BACKEND names no backend: pipewire (this build has: "
            "v4l2)");
  EXPECT_EQ(refusal([] { mediaDevices::getDisplayMedia(); }),
            "NotReadableError: MREC_SCREEN_BACKEND names no backend: wayland (this build has: "
            "x11)");
  // Listing shows no camera rather than failing.
  for (const auto& device : mediaDevices::enumerateDevices()) EXPECT_NE(device.kind, "videoinput");
}

TEST(CaptureBackends, AForcedNameThatExistsIsTheOneUsed) {
  const ScopedEnv screen("MREC_SCREEN_BACKEND", "x11");
  const ScopedEnv display("DISPLAY", "");
  EXPECT_EQ(refusal([] { mediaDevices::getDisplayMedia(); }),
            "NotFoundError: no screen to capture: DISPLAY is not set");
}

}  // namespace mrec
