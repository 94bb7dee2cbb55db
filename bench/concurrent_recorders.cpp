// How many realtime 48 kHz stereo recorders (Opus, complexity 10) this machine sustains: N
// recorders, each on its own realtime tone, run for SECONDS; prints whether any capture
// queue overflowed, whether the media kept up with the wall clock (each recorder delivers a
// one-second Blob per second: a starved machine delivers fewer, even with no overflow),
// the CPU used per 20 ms frame of the media that should have been recorded, and how long
// the backlog took to drain after stop().
//
//   concurrent_recorders N SECONDS
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
  if (argc != 3) {
    std::fprintf(stderr, "usage: concurrent_recorders N SECONDS\n");
    return 2;
  }
  const int count = std::stoi(argv[1]);
  const double seconds = std::stod(argv[2]);
  std::atomic<int> errors{0}, stops{0}, blobsWhileRunning{0};
  std::atomic<bool> running{true};
  std::atomic<uint64_t> bytes{0};
  std::vector<std::unique_ptr<mrec::MediaRecorder>> recorders;
  for (int i = 0; i < count; ++i) {
    mrec::ToneOptions tone;
    tone.frequency = 200 + 10 * i;
    tone.channelCount = 2;
    auto stream = std::make_shared<mrec::MediaStream>(
        std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{mrec::createToneTrack(tone)});
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
