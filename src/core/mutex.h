// A mutex, its scoped lock and a condition variable that clang's thread-safety analysis can
// follow (-Wthread-safety): libstdc++'s std::mutex carries no annotations, so state marked
// MREC_GUARDED_BY(mutex_) could not be checked against it. With other compilers the
// annotations are empty and these are std::mutex, std::unique_lock and
// std::condition_variable under another name, at the same cost.
//
//   Mutex mutex_;
//   CondVar changed_;
//   std::deque<Item> items_ MREC_GUARDED_BY(mutex_);
//   ...
//   MutexLock lock(mutex_);
//   while (items_.empty()) changed_.wait(lock);  // a loop: the analysis sees the condition
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define MREC_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define MREC_THREAD_ANNOTATION(x)
#endif

#define MREC_CAPABILITY(x) MREC_THREAD_ANNOTATION(capability(x))
#define MREC_SCOPED_CAPABILITY MREC_THREAD_ANNOTATION(scoped_lockable)
#define MREC_GUARDED_BY(x) MREC_THREAD_ANNOTATION(guarded_by(x))
#define MREC_PT_GUARDED_BY(x) MREC_THREAD_ANNOTATION(pt_guarded_by(x))
#define MREC_REQUIRES(...) MREC_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define MREC_EXCLUDES(...) MREC_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define MREC_ACQUIRE(...) MREC_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define MREC_RELEASE(...) MREC_THREAD_ANNOTATION(release_capability(__VA_ARGS__))

namespace mrec::detail {

class MREC_CAPABILITY("mutex") Mutex {
 public:
  void lock() MREC_ACQUIRE() { mutex_.lock(); }
  void unlock() MREC_RELEASE() { mutex_.unlock(); }

 private:
  friend class MutexLock;
  std::mutex mutex_;
};

/// Holds a Mutex from construction to destruction; unlock() and lock() let go of it and take
/// it again in between (to notify, or to run a task, without it).
class MREC_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mutex) MREC_ACQUIRE(mutex) : lock_(mutex.mutex_) {}
  ~MutexLock() MREC_RELEASE() = default;
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;
  void unlock() MREC_RELEASE() { lock_.unlock(); }
  void lock() MREC_ACQUIRE() { lock_.lock(); }

 private:
  friend class CondVar;
  std::unique_lock<std::mutex> lock_;
};

/// A mutex the thread that holds it may take again: for a lock held while the program's code
/// runs, which may come back in (an event handler that destroys its recorder). What it
/// guards is checked as for Mutex; the analysis does not follow the re-entry, which happens
/// through calls it cannot see.
class MREC_CAPABILITY("mutex") RecursiveMutex {
 public:
  void lock() MREC_ACQUIRE() { mutex_.lock(); }
  void unlock() MREC_RELEASE() { mutex_.unlock(); }

 private:
  std::recursive_mutex mutex_;
};

class MREC_SCOPED_CAPABILITY RecursiveMutexLock {
 public:
  explicit RecursiveMutexLock(RecursiveMutex& mutex) MREC_ACQUIRE(mutex) : mutex_(mutex) {
    mutex_.lock();
  }
  ~RecursiveMutexLock() MREC_RELEASE() { mutex_.unlock(); }
  RecursiveMutexLock(const RecursiveMutexLock&) = delete;
  RecursiveMutexLock& operator=(const RecursiveMutexLock&) = delete;

 private:
  RecursiveMutex& mutex_;
};

/// Waits release the lock and hold it again when they return, as std::condition_variable's.
class CondVar {
 public:
  void wait(MutexLock& lock) { changed_.wait(lock.lock_); }
  /// false when it timed out.
  template <class Clock, class Duration>
  bool waitUntil(MutexLock& lock, std::chrono::time_point<Clock, Duration> deadline) {
    return changed_.wait_until(lock.lock_, deadline) == std::cv_status::no_timeout;
  }
  template <class Rep, class Period>
  bool waitFor(MutexLock& lock, std::chrono::duration<Rep, Period> timeout) {
    return changed_.wait_for(lock.lock_, timeout) == std::cv_status::no_timeout;
  }
  void notifyOne() { changed_.notify_one(); }
  void notifyAll() { changed_.notify_all(); }

 private:
  std::condition_variable changed_;
};

}  // namespace mrec::detail
