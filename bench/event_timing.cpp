// Timing of a recorder's events on a realtime source: start() to the start event, stop() to
// the stop event (medians of ROUNDS), and with start(100) the media each Blob holds and the
// wall-clock jitter between dataavailable events.
//
//   event_timing ROUNDS SECONDS
#include <mrec/mrec.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace {
using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))];
}

std::shared_ptr<mrec::MediaStream> toneStream() {
  return std::make_shared<mrec::MediaStream>(
      std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{mrec::createToneTrack()});
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: event_timing ROUNDS SECONDS\n");
    return 2;
  }
  const int rounds = std::stoi(argv[1]);
  const double seconds = std::stod(argv[2]);
  auto loop = std::make_shared<mrec::EventLoop>();

  // start() -> start, stop() -> stop.
  std::vector<double> startLatency, stopLatency;
  for (int i = 0; i < rounds; ++i) {
    mrec::MediaRecorder recorder(toneStream(), {}, loop);
    Clock::time_point started, stopped;
    bool sawStart = false, sawStop = false;
    recorder.onstart = [&](const mrec::Event&) {
      started = Clock::now();
      sawStart = true;
    };
    recorder.onstop = [&](const mrec::Event&) {
      stopped = Clock::now();
      sawStop = true;
    };
    const auto t0 = Clock::now();
    recorder.start();
    loop->runUntil([&] { return sawStart; }, std::chrono::seconds(5));
    startLatency.push_back(ms(started - t0));
    loop->runUntil([] { return false; }, std::chrono::milliseconds(200));
    const auto t1 = Clock::now();
    recorder.stop();
    loop->runUntil([&] { return sawStop; }, std::chrono::seconds(5));
    stopLatency.push_back(ms(stopped - t1));
  }

  // start(100): media per Blob from the timecodes, wall-clock gaps between the events.
  mrec::MediaRecorder recorder(toneStream(), {}, loop);
  std::vector<double> timecodes;
  std::vector<Clock::time_point> arrivals;
  bool stopped = false;
  recorder.ondataavailable = [&](const mrec::BlobEvent& e) {
    timecodes.push_back(e.timecode);
    arrivals.push_back(Clock::now());
  };
  recorder.onstop = [&](const mrec::Event&) { stopped = true; };
  recorder.start(100);
  loop->runUntil([] { return false; },
                 std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
  recorder.stop();
  loop->runUntil([&] { return stopped; }, std::chrono::seconds(5));
  std::vector<double> mediaError, jitter;
  // Every Blob but the last: media from its timecode to the next one's.
  for (size_t i = 0; i + 2 < timecodes.size(); ++i)
    mediaError.push_back(std::fabs(timecodes[i + 1] - timecodes[i] - 100));
  for (size_t i = 1; i + 1 < arrivals.size(); ++i)
    jitter.push_back(std::fabs(ms(arrivals[i] - arrivals[i - 1]) - 100));
  std::printf(
      "start_ms_median %.2f stop_ms_median %.2f blobs %zu media_error_ms_max %.1f "
      "jitter_ms_median %.2f jitter_ms_p99 %.2f jitter_ms_max %.2f\n",
      percentile(startLatency, 0.5), percentile(stopLatency, 0.5), timecodes.size(),
      mediaError.empty() ? 0 : *std::max_element(mediaError.begin(), mediaError.end()),
      percentile(jitter, 0.5), percentile(jitter, 0.99),
      jitter.empty() ? 0 : *std::max_element(jitter.begin(), jitter.end()));
  return 0;
}
