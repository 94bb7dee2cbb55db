// How captured audio arrives: the size of each piece a program sees through a
// MediaStreamTrackProcessor on a device track, and the gaps between their arrivals.
//   capture_latency [DEVICE] [SECONDS]
#include <mrec/mrec.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  mrec::MediaTrackConstraints constraints;
  if (argc > 1) constraints.deviceId = argv[1];
  const double seconds = argc > 2 ? std::stod(argv[2]) : 5;

  auto stream = mrec::mediaDevices::getUserMedia({.audio = constraints});
  auto track = stream->getAudioTracks()[0];
  mrec::MediaStreamTrackProcessor processor({track, 1000});
  std::vector<double> gapsMs, fragmentMs;
  double capturedSeconds = 0;
  // Timing starts once media flows (an idle null sink's monitor starts late).
  auto first = processor.read();
  const auto begin = Clock::now();
  auto last = begin;
  while (std::chrono::duration<double>(Clock::now() - begin).count() < seconds) {
    auto result = processor.read();
    if (result.done) break;
    const auto now = Clock::now();
    const auto& data = std::get<mrec::AudioData>(result.value);
    gapsMs.push_back(std::chrono::duration<double, std::milli>(now - last).count());
    fragmentMs.push_back(1000.0 * data.numberOfFrames / data.sampleRate);
    capturedSeconds += double(data.numberOfFrames) / data.sampleRate;
    last = now;
  }
  const double wall = std::chrono::duration<double>(last - begin).count();
  track->stop();
  if (gapsMs.empty()) {
    std::fprintf(stderr, "no audio arrived\n");
    return 1;
  }
  auto percentile = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
  };
  std::printf("device %s: %zu pieces in %.2f s\n",
              track->getSettings().deviceId.value_or("?").c_str(), gapsMs.size(), wall);
  std::printf("piece size   ms: median %.1f, max %.1f\n", percentile(fragmentMs, 0.5),
              percentile(fragmentMs, 1.0));
  std::printf("arrival gaps ms: median %.1f, p99 %.1f, max %.1f\n", percentile(gapsMs, 0.5),
              percentile(gapsMs, 0.99), percentile(gapsMs, 1.0));
  std::printf("captured %.3f s of audio per wall-clock second\n", capturedSeconds / wall);
  return 0;
}
