// Asks for the data gathered so far, three times while recording, then stops: each Blob
// continues the previous one, and together they make one file.
//
//   request_data out.webm
#include <mrec/mrec.h>

#include <chrono>
#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: request_data FILE\n";
    return 2;
  }
  auto stream =
      std::make_shared<mrec::MediaStream>(std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{
          mrec::createToneTrack({.frequency = 660})});
  auto loop = std::make_shared<mrec::EventLoop>();
  mrec::MediaRecorder recorder(stream, {.mimeType = "audio/webm;codecs=opus"}, loop);

  std::ofstream out(argv[1], std::ios::binary);
  int blobs = 0;
  recorder.ondataavailable = [&](const mrec::BlobEvent& e) {
    std::cout << "blob " << ++blobs << ": " << e.data.size() << " bytes at " << e.timecode
              << " ms\n";
    e.data.writeTo(out);
  };
  bool stopped = false;
  recorder.onstop = [&](const mrec::Event&) { stopped = true; };

  using namespace std::chrono_literals;
  recorder.start();
  for (int i = 0; i < 3; ++i) {
    loop->runUntil([] { return false; }, 500ms);
    recorder.requestData();
  }
  loop->runUntil([] { return false; }, 500ms);
  recorder.stop();
  loop->runUntil([&] { return stopped; }, 5000ms);
  return stopped ? 0 : 1;
}
