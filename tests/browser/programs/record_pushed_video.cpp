// Records video frames a program pushes, with gaps in their timestamps, as a live source that
// drops frames makes them, and writes each Blob to DIR/blob-NNN (numbered from 0). The browser
// tests append those Blobs to a MediaSource (tests/browser/mse_gaps.test.mjs).
//
//   record_pushed_video TYPE TIMESLICE_MS DIR
//
// 6 s of 320x240 frames at 30 fps, each with its duration (33.3 ms, as a camera's frames
// carry), with the gaps of tests/support/video_gaps.h.
#include <mrec/mrec.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "support/video_gaps.h"

namespace {

constexpr uint32_t kWidth = 320, kHeight = 240;
using mrec::test::video_gaps::kFrames;
using mrec::test::video_gaps::kFrameUs;

// A bar that moves with the frame number, so that every frame has something to encode.
std::vector<uint8_t> picture(int frame) {
  std::vector<uint8_t> i420(kWidth * kHeight * 3 / 2, 128);
  for (uint32_t y = 0; y < kHeight; ++y)
    for (uint32_t x = 0; x < kWidth; ++x)
      i420[y * kWidth + x] = (x + uint32_t(frame) * 4) % kWidth < 40 ? 235 : 16;
  return i420;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: record_pushed_video TYPE TIMESLICE_MS DIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[3];
  auto generator = mrec::MediaStreamTrackGenerator::create("video");
  auto stream = std::make_shared<mrec::MediaStream>(
      std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{generator});
  auto loop = std::make_shared<mrec::EventLoop>();
  mrec::MediaRecorder recorder(stream, {.mimeType = argv[1]}, loop);
  int blobs = 0;
  bool stopped = false, failed = false;
  recorder.ondataavailable = [&](const mrec::BlobEvent& event) {
    if (event.data.size() == 0) return;
    char name[32];
    std::snprintf(name, sizeof name, "blob-%03d", blobs++);
    std::ofstream out(dir / name, std::ios::binary);
    event.data.writeTo(out);
  };
  recorder.onerror = [&](const mrec::ErrorEvent& event) {
    std::cerr << "error: " << event.error->message() << "\n";
    failed = true;
  };
  recorder.onstop = [&](const mrec::Event&) { stopped = true; };
  recorder.start(static_cast<uint32_t>(std::stoul(argv[2])));
  std::thread writer([&] {
    for (int i = 0; i < kFrames; ++i)
      if (!mrec::test::video_gaps::isMissing(i))
        generator->write(mrec::VideoFrame{mrec::VideoPixelFormat::I420, kWidth, kHeight,
                                          i * kFrameUs, kFrameUs, picture(i)});
    generator->close();
  });
  loop->runUntil([&] { return stopped; }, std::chrono::seconds(60));
  writer.join();
  std::cout << blobs << "\n";
  return failed ? 1 : 0;
}
