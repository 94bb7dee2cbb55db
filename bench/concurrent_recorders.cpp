// How many realtime 48 kHz stereo recorders (Opus, complexity 10) this machine sustains: N
// recorders run for SECONDS; prints whether any capture queue overflowed, whether the media
// kept up with the wall clock (each recorder delivers a one-second Blob per second: a starved
// machine delivers fewer, even with no overflow), the CPU this process used per 20 ms frame
// of the media that should have been recorded, and how long the backlog took to drain after
// stop(). Each recorder records
//   - by default, its own realtime tone;
//   - with --device NAME, its own capture of the audio input NAME (a PulseAudio stream and
//     its threads per recorder, like N programs recording one microphone);
//   - with --device NAME --shared, a clone of one capture of NAME (one program recording
//     one microphone N times).
//
//   concurrent_recorders N SECONDS [--device NAME [--shared]]
#include <mrec/mrec.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {
double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}
}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const bool shared = args.size() == 5 && args[4] == "--shared";
  const bool device = args.size() >= 4 && args[2] == "--device";
  if (!(args.size() == 2 || (device && (args.size() == 4 || shared)))) {
    std::fprintf(stderr, "usage: concurrent_recorders N SECONDS [--device NAME [--shared]]\n");
    return 2;
  }
  const int count = std::stoi(args[0]);
  const double seconds = std::stod(args[1]);
  mrec::MediaTrackConstraints input;
  if (device) {
    input.deviceId = args[3];
    input.channelCount = 2;
    input.sampleRate = 48000;
  }
  const auto capture = [&] {
    return mrec::mediaDevices::getUserMedia({.audio = input})->getAudioTracks().at(0);
  };
  const auto one = shared ? capture() : nullptr;
  const auto sourceFor = [&](int i) {
    if (shared) return one->clone();
    if (device) return capture();
    mrec::ToneOptions tone;
    tone.frequency = 200 + 10 * i;
    tone.channelCount = 2;
    return mrec::createToneTrack(tone);
  };
  std::atomic<int> errors{0}, stops{0}, blobsWhileRunning{0};
  std::atomic<bool> running{true};
  std::atomic<uint64_t> bytes{0};
  std::vector<std::unique_ptr<mrec::MediaRecorder>> recorders;
  for (int i = 0; i < count; ++i) {
    auto stream = std::make_shared<mrec::MediaStream>(
        std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{sourceFor(i)});
    auto recorder = std::make_unique<mrec::MediaRecorder>(stream);
    recorder->ondataavailable = [&](const mrec::BlobEvent& e) {
      bytes += e.data.size();
      if (running) ++blobsWhileRunning;
    };
    recorder->onerror = [&](const mrec::ErrorEvent&) { ++errors; };
    recorder->onstop = [&](const mrec::Event&) { ++stops; };
    recorders.push_back(std::move(recorder));
  }
  const double cpuBefore = cpuSeconds();
  for (auto& recorder : recorders) recorder->start(1000);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  running = false;
  const auto stopAt = std::chrono::steady_clock::now();
  for (auto& recorder : recorders) recorder->stop();
  while (stops.load() < count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const double drain =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stopAt).count();
  const double cpu = cpuSeconds() - cpuBefore;
  // A second's Blob may still be on its way when stop() is called: one short per recorder.
  const double expected = count * (std::floor(seconds) - 1);
  std::printf(
      "recorders %d overflows %d cpu_us_per_20ms_frame %.1f drain_ms %.0f kept_up %d "
      "blobs %d of %.0f kbytes %llu\n",
      count, errors.load(), cpu / (count * seconds * 50) * 1e6, drain * 1000,
      blobsWhileRunning.load() >= expected ? 1 : 0, blobsWhileRunning.load(), expected,
      static_cast<unsigned long long>(bytes.load() / 1000));
  return 0;
}
