// getUserMedia({video}) over V4L2. These machines have no camera, so what is checked is the
// path every program meets first on such a machine: no videoinput, and NotFoundError.
#include <gtest/gtest.h>
#include <mrec/mrec.h>

#include <filesystem>

#include "support/event_log.h"

namespace mrec {

namespace {
bool machineHasVideoNodes() {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/dev", error))
    if (entry.path().filename().string().rfind("video", 0) == 0) return true;
  return false;
}
}  // namespace

TEST(Camera, WithoutACameraThereIsNoVideoInputAndGetUserMediaIsNotFoundError) {
  if (machineHasVideoNodes()) GTEST_SKIP() << "this machine has /dev/video* nodes";
  for (const auto& device : mediaDevices::enumerateDevices())
    EXPECT_NE(device.kind, "videoinput") << device.deviceId;
  EXPECT_EQ(test::thrownName([] { mediaDevices::getUserMedia({.video = true}); }), "NotFoundError");
  MediaTrackConstraints named;
  named.deviceId = "/dev/video7";
  named.width = 1280;
  EXPECT_EQ(test::thrownName([&] { mediaDevices::getUserMedia({.video = named}); }),
            "NotFoundError");
  // Audio and video together: the missing camera fails the whole request.
  EXPECT_EQ(test::thrownName([] { mediaDevices::getUserMedia({.audio = true, .video = true}); }),
            "NotFoundError");
  EXPECT_NE(test::thrownMessage([] { mediaDevices::getUserMedia({.video = true}); }).find("V4L2"),
            std::string::npos);
}

}  // namespace mrec
