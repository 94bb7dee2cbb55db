// Every thread mrec starts is an OwnedThread, held by the object whose work it does. The owner
// tells it to stop (in its own way) and its destructor joins it. An owner can end on its own
// thread, when the thread's work lets go of the owner's last reference, and a thread cannot
// join itself: it is then handed to the reaper, which joins it once it has returned, from the
// next OwnedThread that starts or is joined. Nothing joins a thread from a static destructor:
// the process's exit waits for no thread (docs/architecture.md, §4 and invariant 15).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

namespace mrec::detail {

class OwnedThread {
 public:
  OwnedThread() = default;
  explicit OwnedThread(std::function<void()> body);
  OwnedThread(OwnedThread&& other) noexcept = default;
  /// Lets go of the thread it held as the destructor does.
  OwnedThread& operator=(OwnedThread&& other) noexcept;
  /// Joins the thread, or hands it to the reaper if called on the thread itself.
  ~OwnedThread();

  /// Waits for the thread to return; on the thread itself it does nothing (the owner's
  /// destructor hands it on).
  void join();
  bool joinable() const { return thread_.joinable(); }
  bool isCurrent() const { return thread_.get_id() == std::this_thread::get_id(); }

  /// Starts `body` on a thread that only the reaper owns: work that must outlive the object
  /// that starts it (a PulseAudio loop stopped from a callback on its own thread).
  static void startForTheReaper(std::function<void()> body);
  /// Threads handed to the reaper and not joined yet (returned or not), for the tests.
  static size_t awaitingTheReaper();

 private:
  void letGo();

  std::thread thread_;
  /// Set when the body has returned and what it held is destroyed: the reaper joins only
  /// then, so that it never waits for work that may want a lock its caller holds.
  std::shared_ptr<std::atomic<bool>> returned_;
};

}  // namespace mrec::detail
