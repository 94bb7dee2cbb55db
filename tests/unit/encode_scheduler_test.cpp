// The encode pool: recordings share its threads, each runs on one thread at a time in its
// own order, and one that has more to do yields to the others.
#include "recorder/encode_scheduler.h"

#include <gtest/gtest.h>
#include <mrec/media_recorder.h>
#include <mrec/sources.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "support/event_log.h"

namespace mrec::detail {

namespace {

using namespace std::chrono_literals;

template <typename Done>
bool eventually(Done done) {
  for (int i = 0; i < 500 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

size_t threadsOfThisProcess() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task"))
    ++count;
  return count;
}

/// Runs `batches` batches, noting whether two ever overlapped; each batch is slow enough for
/// wakes to land while it runs.
class Counted final : public ScheduledWork {
 public:
  explicit Counted(int batches, std::vector<int>* order = nullptr, int id = 0)
      : left_(batches), order_(order), id_(id) {}
  bool runDue() override {
    if (running_.exchange(true)) overlapped_ = true;
    std::this_thread::sleep_for(1ms);
    ++runs_;
    if (order_) {
      std::lock_guard lock(orderMutex());
      order_->push_back(id_);
    }
    running_ = false;
    return --left_ > 0;
  }
  static std::mutex& orderMutex() {
    static std::mutex mutex;
    return mutex;
  }
  std::atomic<int> runs_{0};
  std::atomic<bool> overlapped_{false};

 private:
  std::atomic<int> left_;
  std::atomic<bool> running_{false};
  std::vector<int>* order_;
  const int id_;
};

}  // namespace

TEST(EncodeScheduler, WorkWokenWhileItRunsRunsAgainAfterwardsNeverBesideItself) {
  EncodeScheduler pool(2);
  auto work = std::make_shared<Counted>(1000000);  // always says it has more
  for (int i = 0; i < 200; ++i) pool.wake(work);
  EXPECT_TRUE(eventually([&] { return work->runs_ >= 50; }));
  EXPECT_FALSE(work->overlapped_) << "one thread at a time";
}

TEST(EncodeScheduler, WorkWithMoreToDoYieldsToTheOthersThatAreDue) {
  std::vector<int> order;
  EncodeScheduler pool(1);
  auto a = std::make_shared<Counted>(3, &order, 1);
  auto b = std::make_shared<Counted>(3, &order, 2);
  pool.wake(a);
  pool.wake(b);
  EXPECT_TRUE(eventually([&] { return a->runs_ == 3 && b->runs_ == 3; }));
  std::lock_guard lock(Counted::orderMutex());
  EXPECT_EQ(order, (std::vector<int>{1, 2, 1, 2, 1, 2}));
}

TEST(EncodeScheduler, WorkThatIsDoneRunsOnlyWhenWokenAgain) {
  EncodeScheduler pool(2);
  auto work = std::make_shared<Counted>(1);
  pool.wake(work);
  EXPECT_TRUE(eventually([&] { return work->runs_ == 1; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(work->runs_, 1);
  pool.wake(work);
  EXPECT_TRUE(eventually([&] { return work->runs_ == 2; }));
}

// The symptom of a thread per recording: twenty live recordings started twenty threads, each
// woken for every 10 ms of audio.
TEST(EncodeScheduler, TwentyLiveRecordingsStartNoThreadOfTheirOwn) {
  auto loop = std::make_shared<EventLoop>();
  defaultExecutor();
  EncodeScheduler::shared();
  // The realtime ticker that paces the tones, started by a first tone.
  auto first = createToneTrack({.frequency = 200});
  const size_t before = threadsOfThisProcess();
  std::vector<std::unique_ptr<MediaRecorder>> recorders;
  std::vector<std::unique_ptr<test::EventLog>> logs;
  for (int i = 0; i < 20; ++i) {
    auto stream = std::make_shared<MediaStream>(std::vector<std::shared_ptr<MediaStreamTrack>>{
        createToneTrack({.frequency = 300.0 + 10 * i})});
    recorders.push_back(std::make_unique<MediaRecorder>(
        stream, MediaRecorderOptions{.mimeType = "audio/ogg"}, loop));
    logs.push_back(std::make_unique<test::EventLog>(*recorders.back()));
    recorders.back()->start(100);
  }
  ASSERT_TRUE(loop->runUntil(
      [&] {
        for (const auto& log : logs)
          if (log->count("dataavailable") < 3) return false;
        return true;
      },
      10s));
  EXPECT_EQ(threadsOfThisProcess(), before) << "every recording runs on the shared pool";
  for (auto& recorder : recorders) recorder->stop();
  ASSERT_TRUE(loop->runUntil(
      [&] {
        for (const auto& log : logs)
          if (!log->has("stop")) return false;
        return true;
      },
      10s));
}

}  // namespace mrec::detail
