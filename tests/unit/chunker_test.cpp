// The Chunker's key-frame schedule: which video frames the recorder encodes as key frames so
// that timeslice Blobs can start with them.
#include "recorder/chunker.h"

#include <gtest/gtest.h>

#include <memory>

namespace mrec::detail {

namespace {
constexpr uint32_t kRate = 48000;
constexpr int64_t kFrameUs = 40000;  // 25 frames a second

/// A chunker whose track 0 stands for the key-frame track; only the schedule is asked here.
std::unique_ptr<Chunker> chunkerWithKeyFrames(std::optional<uint32_t> timeslice) {
  const AudioTrackInfo info{AudioCodec::Opus, kRate, 2, 312, std::vector<uint8_t>(19, 1)};
  std::string error;
  auto chunker = std::make_unique<Chunker>(makeMuxer(Container::WebM, info, error),
                                           std::vector<uint32_t>{kRate}, timeslice, 0);
  chunker->writeHeader();
  return chunker;
}

/// The times, among frames every kFrameUs from `fromUs` until `endUs`, wanted as key frames.
std::vector<int64_t> wantedUntil(Chunker& chunker, int64_t fromUs, int64_t endUs) {
  std::vector<int64_t> wanted;
  for (int64_t t = fromUs; t < endUs; t += kFrameUs)
    if (chunker.keyFrameWantedAt(t)) wanted.push_back(t);
  return wanted;
}
}  // namespace

TEST(ChunkerKeyFrames, TheFirstFrameATimesliceAfterTheNewestBlobStartIsWanted) {
  auto chunker = chunkerWithKeyFrames(1000);
  // Frame 25 is 1.0 s in; the next Blob starts there, so the one after is 25 frames on,
  // and one just short of a timeslice after that (frame 99, 0.96 s after 75) is not.
  EXPECT_EQ(wantedUntil(*chunker, 0, 100 * kFrameUs),
            (std::vector<int64_t>{25 * kFrameUs, 50 * kFrameUs, 75 * kFrameUs}));
}

TEST(ChunkerKeyFrames, ACutMakesTheNextFrameWantedAndRestartsTheSchedule) {
  auto chunker = chunkerWithKeyFrames(1000);
  EXPECT_TRUE(wantedUntil(*chunker, 0, 10 * kFrameUs).empty());
  chunker->cut();  // requestData()
  EXPECT_EQ(wantedUntil(*chunker, 10 * kFrameUs, 45 * kFrameUs),
            (std::vector<int64_t>{10 * kFrameUs, 35 * kFrameUs}));
}

TEST(ChunkerKeyFrames, NoneIsWantedWithoutATimesliceOrOnceTheVideoHasEnded) {
  auto untimed = chunkerWithKeyFrames(std::nullopt);
  untimed->cut();
  EXPECT_TRUE(wantedUntil(*untimed, 0, 3'000'000).empty());
  auto ended = chunkerWithKeyFrames(1000);
  ended->endKeyFrameTrack(0);
  ended->cut();
  EXPECT_TRUE(wantedUntil(*ended, 0, 3'000'000).empty());
}

}  // namespace mrec::detail
