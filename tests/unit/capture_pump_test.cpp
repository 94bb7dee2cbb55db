// The ring and thread between a device callback and the tracks: nothing lost unseen.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <numeric>
#include <thread>

#include "sources/capture_fifo.h"
#include "sources/capture_pump.h"

namespace mrec::detail {

using namespace std::chrono_literals;

TEST(CaptureFifo, WrapsAroundAndRefusesWhatDoesNotFit) {
  CaptureFifo fifo(2, 8);
  std::vector<float> in(2 * 6);
  std::iota(in.begin(), in.end(), 1.0f);
  EXPECT_EQ(fifo.write(in.data(), 6), 6u);
  std::vector<float> out(2 * 8);
  EXPECT_EQ(fifo.read(out.data(), 4), 4u);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[7], 8.0f);
  EXPECT_EQ(fifo.write(in.data(), 6), 6u) << "two frames left plus four freed, across the end";
  EXPECT_EQ(fifo.write(nullptr, 3), 0u) << "full";
  EXPECT_EQ(fifo.takeRefusedFrames(), 3u);
  EXPECT_EQ(fifo.takeRefusedFrames(), 0u);
  ASSERT_EQ(fifo.read(out.data(), 8), 8u);
  EXPECT_EQ(out[0], 9.0f) << "the rest of the first write";
  EXPECT_EQ(out[3], 12.0f);
  EXPECT_EQ(out[4], 1.0f) << "then the second write, unwrapped";
  EXPECT_EQ(out[15], 12.0f);
  EXPECT_EQ(fifo.write(nullptr, 2), 2u);
  ASSERT_EQ(fifo.read(out.data(), 8), 2u);
  EXPECT_EQ(out[0], 0.0f) << "a hole reads as silence";
}

TEST(CapturePump, DeliversEveryFrameInOrder) {
  std::mutex mutex;
  std::vector<float> delivered;
  std::atomic<uint64_t> lost{0};
  {
    CapturePump pump(
        1000, 1, 1000ms,
        [&](const AudioChunk& chunk) {
          std::lock_guard lock(mutex);
          delivered.insert(delivered.end(), chunk.samples->begin(), chunk.samples->end());
        },
        [&](uint64_t frames) { lost += frames; });
    std::vector<float> piece(10);
    for (int i = 0; i < 50; ++i) {
      std::iota(piece.begin(), piece.end(), float(i * 10));
      pump.push(piece.data(), 10);
      if (i % 10 == 0) std::this_thread::sleep_for(1ms);
    }
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard lock(mutex);
        if (delivered.size() == 500) break;
      }
      std::this_thread::sleep_for(5ms);
    }
  }
  ASSERT_EQ(delivered.size(), 500u);
  for (size_t i = 0; i < delivered.size(); ++i) ASSERT_EQ(delivered[i], float(i));
  EXPECT_EQ(lost, 0u);
}

TEST(CapturePump, AStalledConsumerLosesFramesAsCountedSilence) {
  std::promise<void> release, entered;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first{true};
  std::mutex mutex;
  size_t deliveredFrames = 0, silentFrames = 0;
  std::atomic<uint64_t> lost{0};
  {
    CapturePump pump(
        1000, 1, 100ms,  // room for 100 frames
        [&](const AudioChunk& chunk) {
          if (first.exchange(false)) entered.set_value();
          released.wait();  // the consumer is stuck until the test lets go
          std::lock_guard lock(mutex);
          deliveredFrames += chunk.frames;
          for (float s : *chunk.samples) silentFrames += s == 0.0f;
        },
        [&](uint64_t frames) { lost += frames; });
    std::vector<float> ones(10, 1.0f);
    pump.push(ones.data(), 10);
    entered.get_future().wait();  // the pump holds the first ten frames, the ring is empty
    for (int i = 0; i < 15; ++i) pump.push(ones.data(), 10);  // 150 frames, room for 100
    release.set_value();
    for (int i = 0; i < 200 && lost == 0; ++i) std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(lost, 50u);
  EXPECT_EQ(deliveredFrames, 10u + 100u + 50u)
      << "lost frames are passed on as silence: time is kept";
  EXPECT_EQ(silentFrames, 50u);
}

TEST(CapturePump, MayBeDestroyedFromInsideItsOwnDelivery) {
  auto destroyed = std::make_shared<std::promise<void>>();
  auto future = destroyed->get_future();
  auto pump = std::make_shared<std::unique_ptr<CapturePump>>();
  std::weak_ptr<std::unique_ptr<CapturePump>> weak = pump;
  *pump = std::make_unique<CapturePump>(
      1000, 1, 100ms,
      [destroyed, weak](const AudioChunk&) {
        const auto owner = weak.lock();
        if (owner && *owner) {
          owner->reset();  // the last owner lets go on the pump's own thread
          destroyed->set_value();
        }
      },
      [](uint64_t) {});
  float sample = 0;
  (*pump)->push(&sample, 1);
  EXPECT_EQ(future.wait_for(5s), std::future_status::ready);
}

}  // namespace mrec::detail
