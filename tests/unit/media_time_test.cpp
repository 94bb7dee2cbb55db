// The one conversion of media time between rates: how it rounds is what places every packet.
#include "core/media_time.h"

#include <gtest/gtest.h>

namespace mrec::detail {

TEST(MediaTime, CountsAtARateBecomeMicrosecondsRoundedDown) {
  EXPECT_EQ(unitsToMicros(960, 48000), 20000);
  EXPECT_EQ(unitsToMicros(1, 44100), 22);  // 22.67 µs
  EXPECT_EQ(microsToUnits(22, 44100), 0);
  EXPECT_EQ(microsToUnits(20000, 48000), 960);
  // An hour at 48 kHz: no overflow on the way.
  EXPECT_EQ(unitsToMicros(int64_t{48000} * 3600, 48000), int64_t{3600} * kMicrosPerSecond);
}

TEST(MediaTime, ARateNotKnownYetGivesZeroNotADivisionByZero) {
  EXPECT_EQ(unitsToMicros(960, 0), 0);
  EXPECT_EQ(rescaleToNearest(960, 0, 1000), 0);
}

TEST(MediaTime, TheNearestRoundsHalvesAwayFromZeroAsLlroundDoes) {
  EXPECT_EQ(rescaleToNearest(24, 48000, 1000), 1);    // 0.5 ms
  EXPECT_EQ(rescaleToNearest(23, 48000, 1000), 0);    // 0.479 ms
  EXPECT_EQ(rescaleToNearest(-24, 48000, 1000), -1);  // -0.5 ms
  EXPECT_EQ(rescaleToNearest(-23, 48000, 1000), 0);
}

TEST(MediaTime, FramesOfARateThatIsNotWholeLandOnTheNearestMicrosecond) {
  EXPECT_EQ(frameMicros(30), 33333);
  EXPECT_EQ(frameMicros(30000.0 / 1001), 33367);           // 29.97 fps: 33366.67 µs
  EXPECT_EQ(frameMicros(30000.0 / 1001, 1000), 33366667);  // no drift over 1000 frames
  EXPECT_EQ(millisToNearestMicros(0.0015), 2);
  EXPECT_DOUBLE_EQ(microsToMillis(1500), 1.5);
}

TEST(MediaTime, AFileCountOfAnySizeRescalesWithoutOverflowAndSaturates) {
  EXPECT_EQ(rescaleFileCount(24, 48000, 1000), 1u);  // to the nearest, as rescaleToNearest
  EXPECT_EQ(rescaleFileCount(7, 0, 1000), 0u);
  // Exact where 64 bits would overflow on the way: 2^63 ticks at 48 kHz, in milliseconds.
  EXPECT_EQ(rescaleFileCount(uint64_t{1} << 63, 48000, 1000), 192153584101141163u);
  // A damaged file's largest duration at a smaller timescale does not fit: the largest value.
  EXPECT_EQ(rescaleFileCount(UINT64_MAX, 1, 1000), UINT64_MAX);
}

}  // namespace mrec::detail
