#include "core/owned_thread.h"

namespace mrec::detail {

OwnedThread& OwnedThread::operator=(OwnedThread&& other) noexcept {
  if (this != &other) {
    letGo();
    thread_ = std::move(other.thread_);
  }
  return *this;
}

OwnedThread::~OwnedThread() {
  letGo();
}

void OwnedThread::join() {
  if (thread_.joinable() && !isCurrent()) thread_.join();
}

void OwnedThread::letGo() {
  if (!thread_.joinable()) return;
  // A thread destroying its own owner is on its way out: what it runs next is its own.
  if (isCurrent())
    thread_.detach();
  else
    thread_.join();
}

}  // namespace mrec::detail
