// The Interleaver: packets of several tracks leave in time order, and a quiet track does not
// hold the others back.
#include "recorder/interleaver.h"

#include <gtest/gtest.h>

namespace mrec::detail {

namespace {
using namespace std::chrono_literals;

EncodedPacket packet(uint32_t track, int64_t timestamp) {
  EncodedPacket p;
  p.track = track;
  p.timestamp = timestamp;
  return p;
}

std::vector<int64_t> microsOf(const std::vector<EncodedPacket>& packets,
                              const std::vector<uint32_t>& timebases) {
  std::vector<int64_t> out;
  for (const auto& p : packets) out.push_back(p.timestamp * 1000000 / timebases[p.track]);
  return out;
}
}  // namespace

TEST(Interleaver, PacketsLeaveInTimeOrderAcrossTimebases) {
  const std::vector<uint32_t> timebases{1000000, 48000};  // video in µs, audio in samples
  Interleaver interleaver(timebases);
  const auto t0 = Interleaver::Clock::now();
  std::vector<EncodedPacket> out;
  for (int i = 0; i < 5; ++i) interleaver.push(packet(1, i * 960), t0);  // audio 0-80 ms
  interleaver.pop(out, t0);
  EXPECT_TRUE(out.empty()) << "the video might still send something earlier";
  interleaver.push(packet(0, 0), t0);
  interleaver.push(packet(0, 33333), t0);
  interleaver.pop(out, t0);
  EXPECT_EQ(microsOf(out, timebases), (std::vector<int64_t>{0, 0, 20000, 33333}))
      << "audio from 40 ms waits for the video after 33 ms";
  interleaver.push(packet(0, 66666), t0);
  interleaver.pop(out, t0);
  EXPECT_EQ(microsOf(out, timebases),
            (std::vector<int64_t>{0, 0, 20000, 33333, 40000, 60000, 66666}));
  interleaver.drain(out);
  EXPECT_EQ(microsOf(out, timebases).back(), 80000);
}

TEST(Interleaver, AQuietOrEndedTrackHoldsNothingBack) {
  const std::vector<uint32_t> timebases{1000000, 1000000};
  Interleaver interleaver(timebases);
  const auto t0 = Interleaver::Clock::now();
  std::vector<EncodedPacket> out;
  interleaver.push(packet(1, 0), t0);
  interleaver.push(packet(0, 0), t0);
  interleaver.push(packet(0, 100000), t0);
  interleaver.pop(out, t0 + 100ms);
  EXPECT_EQ(out.size(), 2u) << "the packet at 100 ms waits for track 1";
  interleaver.pop(out, t0 + Interleaver::kQuietTrack);
  EXPECT_EQ(out.size(), 3u) << "track 1 has been quiet too long";
  interleaver.push(packet(0, 200000), t0 + Interleaver::kQuietTrack);
  interleaver.endTrack(1);
  interleaver.pop(out, t0 + Interleaver::kQuietTrack);
  EXPECT_EQ(out.size(), 4u) << "an ended track holds nothing back";
}

}  // namespace mrec::detail
