#include <thread>

#include "mrec/executor.h"

namespace mrec {

void EventLoop::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_all();
}

bool EventLoop::runOne(std::unique_lock<std::mutex>& lock) {
  if (tasks_.empty()) return false;
  std::function<void()> task = std::move(tasks_.front());
  tasks_.pop_front();
  lock.unlock();
  task();
  lock.lock();
  return true;
}

size_t EventLoop::runUntilIdle() {
  std::unique_lock lock(mutex_);
  size_t ran = 0;
  while (runOne(lock)) ++ran;
  return ran;
}

bool EventLoop::runUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  while (true) {
    lock.unlock();
    const bool finished = done();
    lock.lock();
    if (finished) return true;
    if (!runOne(lock)) {
      if (wake_.wait_until(lock, deadline) == std::cv_status::timeout && tasks_.empty()) {
        lock.unlock();
        return done();
      }
    }
  }
}

void EventLoop::run() {
  std::unique_lock lock(mutex_);
  // A quit() that came before run() counts: the caller may not know which happens first.
  while (!quit_) {
    if (!runOne(lock)) wake_.wait(lock, [this] { return quit_ || !tasks_.empty(); });
  }
  quit_ = false;  // the loop can be run again
}

void EventLoop::quit() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
}

}  // namespace mrec
