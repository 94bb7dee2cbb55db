// Records a 440 Hz tone into a file, one Blob per second of media, written as it arrives.
//
//   record_tone out.ogg [seconds]        (.ogg, .opus, .webm or .mkv)
#include <mrec/mrec.h>

#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: record_tone FILE [SECONDS]\n";
    return 2;
  }
  const std::string path = argv[1];
  const double seconds = argc > 2 ? std::stod(argv[2]) : 5;
  const std::string extension = path.substr(path.find_last_of('.') + 1);
  const std::string type = extension == "webm"  ? "audio/webm;codecs=opus"
                           : extension == "mkv" ? "video/x-matroska;codecs=opus"
                                                : "audio/ogg;codecs=opus";

  // Offline: the tone is rendered as fast as it is encoded.
  auto tone = mrec::createToneTrack({.durationSeconds = seconds, .realtime = false});
  auto stream = std::make_shared<mrec::MediaStream>(
      std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{tone});

  auto loop = std::make_shared<mrec::EventLoop>();
  mrec::MediaRecorder recorder(stream, {.mimeType = type}, loop);
  std::ofstream out(path, std::ios::binary);
  recorder.ondataavailable = [&](const mrec::BlobEvent& event) {
    event.data.writeTo(out);  // each Blob continues the file
    std::cout << "blob at " << event.timecode << " ms: " << event.data.size() << " bytes\n";
  };
  recorder.onerror = [](const mrec::ErrorEvent& event) {
    std::cerr << "error: " << event.error->what() << "\n";
  };
  recorder.onstop = [&](const mrec::Event&) { loop->quit(); };
  recorder.start(1000);  // the track ends after `seconds`, which stops the recorder
  loop->run();
  return out.good() ? 0 : 1;
}
