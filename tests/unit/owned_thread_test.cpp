// Every library thread has an owner that joins it on its destruction, or lets it go when the
// owner ends on the thread itself; and a recording's threads are all gone once it and its
// sources are.
#include "core/owned_thread.h"

#include <gtest/gtest.h>
#include <mrec/executor.h>
#include <mrec/media_recorder.h>
#include <mrec/sources.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>

#include "recorder/encode_scheduler.h"
#include "support/event_log.h"

namespace mrec::detail {
namespace {

using namespace std::chrono_literals;

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

size_t threadsOfThisProcess() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task"))
    ++count;
  return count;
}

TEST(OwnedThread, ItsDestructorWaitsForTheBodyToReturn) {
  std::atomic<bool> returned{false};
  {
    OwnedThread thread([&] {
      std::this_thread::sleep_for(50ms);
      returned = true;
    });
  }
  EXPECT_TRUE(returned);
}

struct Owner {
  OwnedThread thread;
};

TEST(OwnedThread, AnOwnerThatEndsOnItsOwnThreadLetsItGo) {
  std::promise<void> go;
  auto owner = std::make_shared<Owner>();
  const std::weak_ptr<Owner> watched = owner;
  Owner& held = *owner;
  held.thread = OwnedThread([owner = std::move(owner), go = go.get_future().share()]() mutable {
    go.wait();
    owner.reset();  // the last reference: ~Owner runs here, on the thread it owns
  });
  go.set_value();
  EXPECT_TRUE(eventually([&] { return watched.expired(); })) << "no self-join, no abort";
}

TEST(OwnedThread, NoThreadOutlivesARecordingOfOfflineSources) {
  auto loop = std::make_shared<EventLoop>();
  defaultExecutor();          // the tracks' ended events run there: it lives as long as the process
  EncodeScheduler::shared();  // the recording's work runs there: it lives as long, too
  const size_t before = threadsOfThisProcess();
  {
    auto stream = std::make_shared<MediaStream>(std::vector<std::shared_ptr<MediaStreamTrack>>{
        createToneTrack({.durationSeconds = 1, .realtime = false}),
        createTestPatternTrack(
            {.width = 160, .height = 120, .durationSeconds = 1, .realtime = false})});
    MediaRecorder recorder(stream, {.mimeType = "video/webm;codecs=vp8,opus"}, loop);
    test::EventLog log(recorder);
    recorder.start();
    ASSERT_TRUE(loop->runUntil([&] { return log.has("stop"); }, 20s));
  }
  // Fewer if a thread of an earlier test ended meanwhile.
  EXPECT_TRUE(eventually([&] { return threadsOfThisProcess() <= before; }))
      << threadsOfThisProcess() << " threads, " << before << " before the recording";
}

}  // namespace
}  // namespace mrec::detail
