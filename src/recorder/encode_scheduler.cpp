#include "recorder/encode_scheduler.h"

#include <algorithm>
#include <thread>

namespace mrec::detail {

EncodeScheduler& EncodeScheduler::shared() {
  // Never destroyed: a recording may still be woken while the program exits, and the exit
  // waits for no thread (docs/architecture.md, invariant 15).
  static auto* scheduler = new EncodeScheduler(std::max(1u, std::thread::hardware_concurrency()));
  return *scheduler;
}

EncodeScheduler::EncodeScheduler(unsigned threads) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { serve(); });
}

EncodeScheduler::~EncodeScheduler() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  due_.notifyAll();
  threads_.clear();  // joins
}

void EncodeScheduler::wake(const std::shared_ptr<ScheduledWork>& work) {
  using State = ScheduledWork::State;
  State state = work->state_.load();
  while (true) {
    if (state == State::Queued || state == State::RunningAndWoken) return;
    const State next = state == State::Idle ? State::Queued : State::RunningAndWoken;
    if (work->state_.compare_exchange_weak(state, next)) break;
  }
  if (state == State::Idle) enqueue(work);
}

void EncodeScheduler::enqueue(std::shared_ptr<ScheduledWork> work) {
  {
    MutexLock lock(mutex_);
    queue_.push_back(std::move(work));
  }
  due_.notifyOne();
}

void EncodeScheduler::serve() {
  using State = ScheduledWork::State;
  while (true) {
    std::shared_ptr<ScheduledWork> work;
    {
      MutexLock lock(mutex_);
      while (queue_.empty() && !stopping_) due_.wait(lock);
      if (stopping_) return;
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    work->state_.store(State::Running);
    const bool more = work->runDue();
    // Woken while it ran, or more is due: behind the others. Else idle, unless a wake came
    // between the batch's end and now.
    State running = State::Running;
    if (more || !work->state_.compare_exchange_strong(running, State::Idle)) {
      work->state_.store(State::Queued);
      enqueue(std::move(work));
    }
    // The pool may hold the last reference: the work is destroyed here, on this thread.
  }
}

}  // namespace mrec::detail
