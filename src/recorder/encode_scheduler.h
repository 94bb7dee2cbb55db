// The threads that do every recording's media work (encoding, muxing, cutting Blobs): one
// pool, sized to the cores, that all recordings of the process share, instead of a thread
// per recording woken for every 10 ms chunk. A recording is woken when work is due for it
// (a command, a codec frame's worth of realtime audio, a video frame, paced media) and runs
// on whichever pool thread is free, never on two at once, a batch of items at a time before
// it yields to the next recording that is due. Each recording's items keep their queue's
// order, so its events keep the spec's.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <vector>

#include "core/mutex.h"
#include "core/owned_thread.h"

namespace mrec::detail {

/// Work the scheduler runs: a recording.
class ScheduledWork {
 public:
  virtual ~ScheduledWork() = default;
  /// Runs a batch of what is due, on a pool thread; never called for the same work on two
  /// threads at once. Returns true if more is due already: the work is queued again, behind
  /// the others that are due.
  virtual bool runDue() = 0;

 private:
  friend class EncodeScheduler;
  enum class State { Idle, Queued, Running, RunningAndWoken };
  std::atomic<State> state_{State::Idle};
};

class EncodeScheduler {
 public:
  /// The process's pool: one thread per core (at least one), started at first use and never
  /// destroyed, as the default executor (docs/architecture.md §4).
  static EncodeScheduler& shared();

  explicit EncodeScheduler(unsigned threads);
  /// Stops the pool: batches running now end, queued work does not run. Joins the threads.
  ~EncodeScheduler();
  EncodeScheduler(const EncodeScheduler&) = delete;
  EncodeScheduler& operator=(const EncodeScheduler&) = delete;

  /// Queues `work` to run unless it is queued already; work running now runs again once it
  /// returns. Cheap and safe from any thread, a realtime one included (no allocation once
  /// the queue has grown to the number of works).
  void wake(const std::shared_ptr<ScheduledWork>& work);
  unsigned threadCount() const { return static_cast<unsigned>(threads_.size()); }

 private:
  void enqueue(std::shared_ptr<ScheduledWork> work);
  void serve();

  Mutex mutex_;
  CondVar due_;
  std::deque<std::shared_ptr<ScheduledWork>> queue_ MREC_GUARDED_BY(mutex_);
  bool stopping_ MREC_GUARDED_BY(mutex_) = false;
  std::vector<OwnedThread> threads_;  // last: they start once everything above is ready
};

}  // namespace mrec::detail
