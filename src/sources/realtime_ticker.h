// One thread paces every realtime rendered source (tones, WAV files played in real time) by
// the wall clock, as a device's callback thread serves all of its streams: a tick every
// 10 ms hands each source's next chunk to its tracks. One thread for all, rather than one
// per source, keeps hundreds of concurrent recordings from costing hundreds of wake-ups
// every 10 ms.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

namespace mrec::detail {

class RealtimeTicker {
 public:
  /// Called on the ticker's thread each tick; returns false when its source is done (it is
  /// then dropped, with whatever it holds).
  using Tick = std::function<bool()>;

  /// The process's ticker; its thread starts with the first tick added.
  static RealtimeTicker& instance();
  /// Calls `tick` from the next tick on until it returns false.
  void add(Tick tick);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable added_;
  std::vector<Tick> incoming_;  ///< guarded by mutex_
  bool started_ = false;        ///< guarded by mutex_
};

}  // namespace mrec::detail
