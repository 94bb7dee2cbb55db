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
VideoChunk frame(int64_t timestamp) {
  return {2, 2, timestamp, 33333, true, std::make_shared<const std::vector<uint8_t>>(6, 0)};
}
/// The next item, waiting for a producer on another thread to push it.
SessionItem next(SessionQueue& queue) {
  while (true) {
    if (auto item = queue.tryPop()) return std::move(*item);
    std::this_thread::sleep_for(1ms);
  }
}
}  // namespace

// A worker behind on video drops live frames, as a browser does, instead of overflowing and
// ending the recording; audio keeps its room and is never dropped.
TEST(SessionQueue, LiveVideoIsDroppedWhenTheWorkerIsBehindAndAudioIsNot) {
  SessionQueue queue(100);
  int queued = 0;
  for (int i = 0; i < 10; ++i) queued += queue.pushFrame(frame(i), Delivery::Realtime);
  EXPECT_EQ(queued, 4) << "a few frames wait, no more";
  EXPECT_EQ(queue.droppedFrames(), 6u);
  EXPECT_EQ(queue.overflows(), 0u) << "dropping a frame does not end the recording";
  for (int i = 0; i < 30; ++i) EXPECT_TRUE(queue.pushChunk(chunk(480), Delivery::Realtime));
  EXPECT_FALSE(queue.pushFrame(frame(10), Delivery::Realtime))
      << "audio waiting 300 ms: no more video until the worker catches up";
  for (int i = 0; i < 4 + 30; ++i) ASSERT_TRUE(queue.tryPop());
  EXPECT_TRUE(queue.pushFrame(frame(11), Delivery::Realtime)) << "caught up";
  EXPECT_EQ(queue.droppedFrames(), 7u);

  SessionQueue paced(100, 30);
  for (int i = 0; i < 30; ++i) EXPECT_TRUE(paced.pushFrame(frame(i), Delivery::Paced));
  EXPECT_EQ(paced.droppedFrames(), 0u) << "a paced source is waited for, never dropped";
}

TEST(SessionQueue, RealtimePushOverflowsInsteadOfWaiting) {
  SessionQueue queue(2);
  EXPECT_TRUE(queue.pushChunk(chunk(1), Delivery::Realtime));
  EXPECT_TRUE(queue.pushChunk(chunk(2), Delivery::Realtime));
  EXPECT_FALSE(queue.pushChunk(chunk(3), Delivery::Realtime));
  EXPECT_EQ(queue.overflows(), 1u);
  queue.pushCommand(SessionCommand::RequestData);  // commands are never refused
  EXPECT_EQ(queue.tryPop()->chunk.frames, 1u);
  EXPECT_EQ(queue.tryPop()->chunk.frames, 2u);
  EXPECT_EQ(queue.tryPop()->command, SessionCommand::RequestData);
  EXPECT_FALSE(queue.tryPop()) << "empty: nothing to wait for";
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
  for (uint32_t i = 1; i <= 100; ++i) EXPECT_EQ(next(queue).chunk.frames, i);
  producer.join();
  EXPECT_EQ(queue.overflows(), 0u);
}

// The consumer is woken when work is due for it, not for every small piece a device hands
// over: realtime audio once a codec frame's worth (20 ms) waits.
TEST(SessionQueue, TheConsumerIsWokenForDueWorkOnly) {
  SessionQueue queue(100);
  int wakes = 0;
  queue.setWake([&] { ++wakes; });
  queue.pushChunk(chunk(480), Delivery::Realtime);  // 10 ms
  EXPECT_EQ(wakes, 0);
  queue.pushChunk(chunk(480), Delivery::Realtime);  // 20 ms waiting
  EXPECT_EQ(wakes, 1);
  queue.pushChunk(chunk(480), Delivery::Paced);
  queue.pushFrame(frame(0), Delivery::Realtime);
  queue.pushCommand(SessionCommand::Pause);
  queue.countOverflow();
  EXPECT_EQ(wakes, 5);
}

// A late turn can leave part of a frame in the encoder: the audio that completes it wakes the
// consumer, rather than a whole frame's worth more, which would deliver that packet (and a
// Blob it ends) a chunk late from then on.
TEST(SessionQueue, TheConsumerIsWokenByTheAudioThatCompletesItsEncodersNextPacket) {
  SessionQueue queue(100);
  int wakes = 0;
  queue.setWake([&] { ++wakes; });
  queue.wakeForAudio(10000);  // the encoder holds 10 ms of a 20 ms frame
  EXPECT_EQ(wakes, 0) << "nothing is queued";
  queue.pushChunk(chunk(480), Delivery::Realtime);
  EXPECT_EQ(wakes, 1);
  ASSERT_TRUE(queue.tryPop());
  queue.wakeForAudio(std::nullopt);  // it cannot say: a codec frame's worth
  queue.pushChunk(chunk(480), Delivery::Realtime);
  EXPECT_EQ(wakes, 1);
  // Told while its turn ends, after the audio that completes the packet came: woken now.
  queue.wakeForAudio(10000);
  EXPECT_EQ(wakes, 2);
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
