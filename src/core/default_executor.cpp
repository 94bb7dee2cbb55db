#include "core/owned_thread.h"
#include "mrec/executor.h"

namespace mrec {

namespace {

// An EventLoop running on its own thread, joined by whoever drops the last reference (let go,
// if that is a task running on the thread itself).
class ThreadExecutor final : public Executor {
 public:
  ThreadExecutor() : thread_([loop = loop_] { loop->run(); }) {}
  ~ThreadExecutor() override {
    loop_->quit();
    thread_.join();
  }
  void post(std::function<void()> task) override { loop_->post(std::move(task)); }

 private:
  // Shared with the thread, which may outlive this object when it is let go.
  std::shared_ptr<EventLoop> loop_ = std::make_shared<EventLoop>();
  detail::OwnedThread thread_;
};

}  // namespace

std::shared_ptr<Executor> defaultExecutor() {
  // Never destroyed, so never joined from the exit handlers: a static joined there once held a
  // finished `mrec record` for minutes (issue 18), and an event may still be posted by a
  // device's thread while the program exits. The process's end takes the thread with it.
  static const auto* executor = new std::shared_ptr<Executor>(std::make_shared<ThreadExecutor>());
  return *executor;
}

}  // namespace mrec
