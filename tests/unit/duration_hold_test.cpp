// The DurationHold: each video packet leaves once the next exists, lasting until it starts,
// so that a gap in the frames is covered by the frame before it (docs/conformance.md
// decision 21).
#include "recorder/duration_hold.h"

#include <gtest/gtest.h>

namespace mrec::detail {

namespace {
using namespace std::chrono_literals;

EncodedPacket frame(int64_t timestampUs, uint32_t durationUs = 33333) {
  EncodedPacket p;
  p.timestamp = timestampUs;
  p.duration = durationUs;
  return p;
}
}  // namespace

TEST(DurationHold, EachPacketLastsUntilTheNextStartsAndTheLastKeepsItsOwn) {
  DurationHold hold;
  std::vector<EncodedPacket> out;
  for (int64_t t : {0, 33333, 66666, 366666, 400000}) hold.push(frame(t), out);
  ASSERT_EQ(out.size(), 4u) << "the newest packet waits for the next";
  EXPECT_EQ(out[0].duration, 33333u);
  EXPECT_EQ(out[1].duration, 33333u);
  EXPECT_EQ(out[2].duration, 300000u) << "the frame before the gap covers it";
  EXPECT_EQ(out[3].duration, 33334u);
  hold.release(out);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[4].timestamp, 400000);
  EXPECT_EQ(out[4].duration, 33333u) << "the last packet keeps the encoder's duration";
  hold.release(out);
  EXPECT_EQ(out.size(), 5u) << "nothing is held twice";
}

TEST(DurationHold, TimestampsThatStandStillKeepTheEncodersDuration) {
  DurationHold hold;
  std::vector<EncodedPacket> out;
  hold.push(frame(1000, 5000), out);
  hold.push(frame(1000), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].duration, 5000u);
}

TEST(DurationHold, SaysHowLongItsPacketHasWaited) {
  DurationHold hold;
  std::vector<EncodedPacket> out;
  const auto start = DurationHold::Clock::now();
  EXPECT_FALSE(hold.heldLongerThan(1s, start + 5s)) << "nothing held";
  hold.push(frame(0), out, start);
  EXPECT_FALSE(hold.heldLongerThan(1s, start + 500ms));
  EXPECT_TRUE(hold.heldLongerThan(1s, start + 1500ms));
}

}  // namespace mrec::detail
