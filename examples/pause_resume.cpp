// Records a realtime tone for one second, pauses for one second, records one more: the file
// holds two seconds, with no gap where the recording was paused.
//
//   pause_resume out.ogg
#include <mrec/mrec.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: pause_resume FILE\n";
    return 2;
  }
  auto stream = std::make_shared<mrec::MediaStream>(
      std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{mrec::createToneTrack()});
  auto loop = std::make_shared<mrec::EventLoop>();
  mrec::MediaRecorder recorder(stream, {}, loop);

  std::vector<mrec::Blob> chunks;
  recorder.ondataavailable = [&](const mrec::BlobEvent& e) { chunks.push_back(e.data); };
  recorder.onpause = [](const mrec::Event&) { std::cout << "paused\n"; };
  recorder.onresume = [](const mrec::Event&) { std::cout << "resumed\n"; };
  bool stopped = false;
  recorder.onstop = [&](const mrec::Event&) { stopped = true; };

  using namespace std::chrono_literals;
  auto wait = [&](std::chrono::milliseconds time) {
    loop->runUntil([] { return false; }, time);  // run events while time passes
  };
  recorder.start();
  wait(1000ms);
  recorder.pause();
  wait(1000ms);
  recorder.resume();
  wait(1000ms);
  recorder.stop();
  loop->runUntil([&] { return stopped; }, 5000ms);

  std::ofstream out(argv[1], std::ios::binary);
  mrec::Blob(chunks, recorder.mimeType()).writeTo(out);
  std::cout << "wrote " << argv[1] << "\n";
  return 0;
}
