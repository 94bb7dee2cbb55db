#include "sources/realtime_ticker.h"

#include <chrono>

namespace mrec::detail {

namespace {
constexpr auto kPeriod = std::chrono::milliseconds(10);
}

RealtimeTicker& RealtimeTicker::instance() {
  // Never destroyed, so its thread is never joined: it may still be ticking while the program
  // exits, which waits for no thread.
  static auto* ticker = new RealtimeTicker;
  return *ticker;
}

void RealtimeTicker::add(Tick tick) {
  {
    MutexLock lock(mutex_);
    incoming_.push_back(std::move(tick));
    if (!thread_.joinable()) thread_ = OwnedThread([this] { run(); });
  }
  added_.notifyOne();
}

void RealtimeTicker::run() {
  std::vector<Tick> ticks;
  auto next = std::chrono::steady_clock::now();
  while (true) {
    {
      MutexLock lock(mutex_);
      if (ticks.empty() && incoming_.empty()) {
        while (incoming_.empty()) added_.wait(lock);
        next = std::chrono::steady_clock::now();  // a new schedule after an idle spell
      }
      for (auto& tick : incoming_) ticks.push_back(std::move(tick));
      incoming_.clear();
    }
    // Late ticks are not skipped: a source behind the clock catches up, as a device does, so
    // that a recorder that cannot keep up sees its queue overflow rather than lose time.
    for (size_t i = 0; i < ticks.size();) {
      if (ticks[i]()) {
        ++i;
      } else {
        ticks[i] = std::move(ticks.back());
        ticks.pop_back();
      }
    }
    next += kPeriod;
    std::this_thread::sleep_until(next);
  }
}

}  // namespace mrec::detail
