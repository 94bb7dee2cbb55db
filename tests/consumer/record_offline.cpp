// Records an offline tone of the given length into a file of the given type, using only the
// public API, and prints how long it took.
//
//   record_offline SECONDS TYPE OUT
#include <mrec/mrec.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: record_offline SECONDS TYPE OUT\n";
    return 2;
  }
  const double seconds = std::stod(argv[1]);
  mrec::ToneOptions tone;
  tone.durationSeconds = seconds;
  tone.realtime = false;
  auto stream = std::make_shared<mrec::MediaStream>(
      std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{mrec::createToneTrack(tone)});

  mrec::MediaRecorderOptions options;
  options.mimeType = argv[2];
  if (!mrec::MediaRecorder::isTypeSupported(options.mimeType)) {
    std::cerr << "unsupported type " << options.mimeType << "\n";
    return 1;
  }
  auto loop = std::make_shared<mrec::EventLoop>();
  mrec::MediaRecorder recorder(stream, options, loop);
  std::ofstream out(argv[3], std::ios::binary);
  bool failed = false;
  recorder.ondataavailable = [&](const mrec::BlobEvent& e) { e.data.writeTo(out); };
  recorder.onerror = [&](const mrec::ErrorEvent& e) {
    std::cerr << "error: " << (e.error ? e.error->what() : "?") << "\n";
    failed = true;
  };
  recorder.onstop = [&](const mrec::Event&) { loop->quit(); };
  const auto begin = std::chrono::steady_clock::now();
  recorder.start(1000);
  loop->run();
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::cout << "recorded " << seconds << " s of " << recorder.mimeType() << " in " << took
            << " s\n";
  return failed || !out.good() ? 1 : 0;
}
