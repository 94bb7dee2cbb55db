// How many realtime 48 kHz stereo recorders (Opus, complexity 10) this machine sustains: N
// recorders run for SECONDS; prints whether any capture queue overflowed, whether the media
// kept up with the wall clock (each recorder delivers a one-second Blob per second: a starved
// machine delivers fewer, even with no overflow), the CPU this process used per 20 ms frame
// of the media that should have been recorded, and how long the backlog took to drain after
// stop(), and the jitter of the one-second Blobs' arrival (how far each interval between a
// recorder's dataavailable events is from a second: p99 and max). Each recorder records
//   - by default, its own realtime tone;
//   - with --device NAME, its own capture of the audio input NAME (a PulseAudio stream and
//     its threads per recorder, like N programs recording one microphone);
//   - with --device NAME --shared, a clone of one capture of NAME (one program recording
//     one microphone N times).
//
//   concurrent_recorders N SECONDS [--device NAME [--shared]]
#include <mrec/mrec.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
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
  // Each recorder's last arrival, and every interval's distance from a second, in ms.
  std::mutex arrivalsMutex;
  std::vector<std::optional<std::chrono::steady_clock::time_point>> lastArrival(
      static_cast<size_t>(count));
  std::vector<double> jitterMs;
  for (int i = 0; i < count; ++i) {
    auto stream = std::make_shared<mrec::MediaStream>(
        std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{sourceFor(i)});
    auto recorder = std::make_unique<mrec::MediaRecorder>(stream);
    recorder->ondataavailable = [&, i](const mrec::BlobEvent& e) {
      bytes += e.data.size();
      if (!running) return;
      ++blobsWhileRunning;
      const auto now = std::chrono::steady_clock::now();
      std::lock_guard lock(arrivalsMutex);
      if (auto& last = lastArrival[size_t(i)]) {
        const double ms = std::chrono::duration<double, std::milli>(now - *last).count();
        jitterMs.push_back(std::fabs(ms - 1000));
      }
      lastArrival[size_t(i)] = now;
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
  std::lock_guard lock(arrivalsMutex);
  std::sort(jitterMs.begin(), jitterMs.end());
  const double jitterP99 =
      jitterMs.empty() ? 0 : jitterMs[std::min(jitterMs.size() - 1, jitterMs.size() * 99 / 100)];
  const double jitterMax = jitterMs.empty() ? 0 : jitterMs.back();
  std::printf(
      "recorders %d overflows %d cpu_us_per_20ms_frame %.1f drain_ms %.0f kept_up %d "
      "blobs %d of %.0f kbytes %llu jitter_ms_p99 %.2f jitter_ms_max %.2f\n",
      count, errors.load(), cpu / (count * seconds * 50) * 1e6, drain * 1000,
      blobsWhileRunning.load() >= expected ? 1 : 0, blobsWhileRunning.load(), expected,
      static_cast<unsigned long long>(bytes.load() / 1000), jitterP99, jitterMax);
  return 0;
}
