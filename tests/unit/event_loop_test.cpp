#include <gtest/gtest.h>
#include <mrec/executor.h>

#include <atomic>
#include <thread>

namespace mrec {

using namespace std::chrono_literals;

TEST(EventLoop, RunsTasksInOrderIncludingThosePostedByTasks) {
  EventLoop loop;
  std::vector<int> order;
  loop.post([&] {
    order.push_back(1);
    loop.post([&] { order.push_back(3); });
  });
  loop.post([&] { order.push_back(2); });
  EXPECT_EQ(loop.runUntilIdle(), 3u);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(loop.runUntilIdle(), 0u);
}

TEST(EventLoop, RunUntilStopsWhenDoneOrAtTimeout) {
  EventLoop loop;
  bool done = false;
  std::thread poster([&] {
    std::this_thread::sleep_for(20ms);
    loop.post([&] { done = true; });
  });
  EXPECT_TRUE(loop.runUntil([&] { return done; }, 5s));
  poster.join();
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_FALSE(loop.runUntil([] { return false; }, 50ms));
  EXPECT_GE(std::chrono::steady_clock::now() - begin, 50ms);
}

TEST(EventLoop, RunReturnsAfterQuitFromAnotherThread) {
  EventLoop loop;
  std::atomic<int> ran{0};
  std::thread other([&] {
    loop.post([&] { ++ran; });
    std::this_thread::sleep_for(20ms);
    loop.quit();
  });
  loop.run();
  other.join();
  EXPECT_EQ(ran.load(), 1);
}

TEST(DefaultExecutor, RunsTasksInOrderOnOneOtherThread) {
  auto executor = defaultExecutor();
  EXPECT_EQ(executor, defaultExecutor());
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<int> order;
  std::thread::id thread;
  for (int i = 0; i < 100; ++i)
    executor->post([&, i] {
      std::lock_guard lock(mutex);
      thread = std::this_thread::get_id();
      order.push_back(i);
      cv.notify_all();
    });
  std::unique_lock lock(mutex);
  ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return order.size() == 100; }));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
  EXPECT_NE(thread, std::this_thread::get_id());
}

}  // namespace mrec
