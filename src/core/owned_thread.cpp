#include "core/owned_thread.h"

#include <utility>
#include <vector>

#include "core/mutex.h"

namespace mrec::detail {

namespace {

struct Orphan {
  std::thread thread;
  std::shared_ptr<std::atomic<bool>> returned;
};

class Reaper {
 public:
  void adopt(Orphan orphan) {
    MutexLock lock(mutex_);
    orphans_.push_back(std::move(orphan));
  }

  // Joins the orphans that have returned; the joins come after the lock, and never wait for
  // more than a thread's last instructions.
  void reap() {
    std::vector<Orphan> returned;
    {
      MutexLock lock(mutex_);
      for (size_t i = 0; i < orphans_.size();) {
        if (orphans_[i].returned->load() &&
            orphans_[i].thread.get_id() != std::this_thread::get_id()) {
          returned.push_back(std::move(orphans_[i]));
          orphans_[i] = std::move(orphans_.back());
          orphans_.pop_back();
        } else {
          ++i;
        }
      }
    }
    for (Orphan& orphan : returned) orphan.thread.join();
  }

  size_t size() {
    MutexLock lock(mutex_);
    return orphans_.size();
  }

 private:
  Mutex mutex_;
  std::vector<Orphan> orphans_ MREC_GUARDED_BY(mutex_);
};

Reaper& reaper() {
  // Never destroyed: joining from the exit handlers is what a finished `mrec record` once
  // hung in (issue 18), and a thread may hand itself over while the program exits.
  static auto* instance = new Reaper;
  return *instance;
}

std::pair<std::thread, std::shared_ptr<std::atomic<bool>>> start(std::function<void()> body) {
  reaper().reap();
  auto returned = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([body = std::move(body), returned]() mutable {
    {
      auto run = std::move(body);  // destroyed, with all it holds, before `returned` is set
      run();
    }
    returned->store(true);
  });
  return {std::move(thread), std::move(returned)};
}

}  // namespace

OwnedThread::OwnedThread(std::function<void()> body) {
  auto [thread, returned] = start(std::move(body));
  thread_ = std::move(thread);
  returned_ = std::move(returned);
}

OwnedThread& OwnedThread::operator=(OwnedThread&& other) noexcept {
  if (this != &other) {
    letGo();
    thread_ = std::move(other.thread_);
    returned_ = std::move(other.returned_);
  }
  return *this;
}

OwnedThread::~OwnedThread() {
  letGo();
}

void OwnedThread::join() {
  if (!thread_.joinable() || isCurrent()) return;
  thread_.join();
  reaper().reap();
}

void OwnedThread::letGo() {
  if (!thread_.joinable()) return;
  if (isCurrent())
    reaper().adopt({std::move(thread_), std::move(returned_)});
  else
    join();
}

void OwnedThread::startForTheReaper(std::function<void()> body) {
  auto [thread, returned] = start(std::move(body));
  reaper().adopt({std::move(thread), std::move(returned)});
}

size_t OwnedThread::awaitingTheReaper() {
  return reaper().size();
}

}  // namespace mrec::detail
