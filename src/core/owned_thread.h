// Every thread mrec starts is an OwnedThread, held by the object whose work it does. The owner
// tells it to stop (in its own way) and its destructor joins it. An owner can end on its own
// thread, when the thread's work lets go of the owner's last reference, and a thread cannot
// join itself: it is then detached, and returns at once, holding nothing of the owner's (its
// body has returned or holds its own share). Nothing joins a thread from a static
// destructor: the process's exit waits for no thread (docs/architecture.md, §4 and
// invariant 15).
#pragma once

#include <functional>
#include <thread>

namespace mrec::detail {

class OwnedThread {
 public:
  OwnedThread() = default;
  explicit OwnedThread(std::function<void()> body) : thread_(std::move(body)) {}
  OwnedThread(OwnedThread&& other) noexcept = default;
  /// Lets go of the thread it held as the destructor does.
  OwnedThread& operator=(OwnedThread&& other) noexcept;
  /// Joins the thread, or detaches it if called on the thread itself.
  ~OwnedThread();

  /// Waits for the thread to return; on the thread itself it does nothing (the owner's
  /// destructor lets it go).
  void join();
  bool joinable() const { return thread_.joinable(); }
  bool isCurrent() const { return thread_.get_id() == std::this_thread::get_id(); }

 private:
  void letGo();

  std::thread thread_;
};

}  // namespace mrec::detail
