#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "recorder/session_queue.h"

namespace mrec::detail {

using namespace std::chrono_literals;

namespace {
AudioChunk chunk(uint32_t frames) {
  return {48000, 1, frames, std::make_shared<const std::vector<float>>(frames, 0.0f)};
}
}  // namespace

TEST(SessionQueue, RealtimePushOverflowsInsteadOfWaiting) {
  SessionQueue queue(2);
  EXPECT_TRUE(queue.pushChunk(chunk(1), Delivery::Realtime));
  EXPECT_TRUE(queue.pushChunk(chunk(2), Delivery::Realtime));
  EXPECT_FALSE(queue.pushChunk(chunk(3), Delivery::Realtime));
  EXPECT_EQ(queue.overflows(), 1u);
  queue.pushCommand(SessionCommand::RequestData);  // commands are never refused
  EXPECT_EQ(queue.pop().chunk.frames, 1u);
  EXPECT_EQ(queue.pop().chunk.frames, 2u);
  EXPECT_EQ(queue.pop().command, SessionCommand::RequestData);
}

TEST(SessionQueue, PacedPushWaitsForRoomAndNothingIsLost) {
  SessionQueue queue(4);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (uint32_t i = 1; i <= 100; ++i) {
      ASSERT_TRUE(queue.pushChunk(chunk(i), Delivery::Paced));
      ++pushed;
    }
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(pushed.load(), 4) << "the producer waits while the queue is full";
  for (uint32_t i = 1; i <= 100; ++i) EXPECT_EQ(queue.pop().chunk.frames, i);
  producer.join();
  EXPECT_EQ(queue.overflows(), 0u);
}

TEST(SessionQueue, CloseReleasesAWaitingProducer) {
  SessionQueue queue(1);
  queue.pushChunk(chunk(1), Delivery::Paced);
  std::thread producer([&] { EXPECT_FALSE(queue.pushChunk(chunk(2), Delivery::Paced)); });
  std::this_thread::sleep_for(20ms);
  queue.close();
  producer.join();
}

}  // namespace mrec::detail
