// Where a recorder's events run.
//
// By default every recorder delivers its events on one library-owned thread
// (`defaultExecutor()`). A program with its own loop passes an `EventLoop` and runs it:
//
//   auto loop = std::make_shared<mrec::EventLoop>();
//   mrec::MediaRecorder recorder(stream, {}, loop);
//   recorder.onstop = [&](const mrec::Event&) { loop->quit(); };
//   recorder.start(1000);
//   loop->run();                                 // handlers run here, on this thread
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace mrec {

/// Runs posted tasks one at a time, in the order they were posted.
class Executor {
 public:
  virtual ~Executor() = default;
  /// May be called from any thread; must not run `task` before returning.
  virtual void post(std::function<void()> task) = 0;
};

/// One library-owned thread shared by all recorders that are given no executor. It lives as
/// long as the process and is never joined: a program ends when main returns, and tasks still
/// queued or running then are not waited for.
std::shared_ptr<Executor> defaultExecutor();

/// An executor whose tasks run on a thread the program owns, inside run()/runUntil().
class EventLoop final : public Executor {
 public:
  void post(std::function<void()> task) override;
  /// Runs the tasks queued now (and those they post); returns how many ran.
  size_t runUntilIdle();
  /// Runs tasks until `done()` is true or `timeout` passes; returns `done()`.
  bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  /// Runs tasks until quit() is called.
  void run();
  /// Makes run() return after the task that is running (or the next run() return at once,
  /// if none is running); callable from any thread.
  void quit();

 private:
  bool runOne(std::unique_lock<std::mutex>& lock);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool quit_ = false;
};

}  // namespace mrec
