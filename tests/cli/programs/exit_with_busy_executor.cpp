// Returns from main while a task on the library's default executor is still running, as an
// event handler may be when a program ends: the process must end with main, not wait for the
// task (a finished `mrec record` once hung in the exit handlers, joining that thread).
#include <mrec/executor.h>

#include <atomic>
#include <chrono>
#include <thread>

int main() {
  static std::atomic<bool> started{false};
  mrec::defaultExecutor()->post([] {
    started = true;
    std::this_thread::sleep_for(std::chrono::hours(1));
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return 0;
}
