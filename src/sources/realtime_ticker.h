// One thread paces every realtime rendered source (tones, WAV files played in real time) by
// the wall clock, as a device's callback thread serves all of its streams: a tick every
// 10 ms hands each source's next chunk to its tracks. One thread for all, rather than one
// per source, keeps hundreds of concurrent recordings from costing hundreds of wake-ups
// every 10 ms.
#pragma once

#include <functional>
#include <vector>

#include "core/mutex.h"
#include "core/owned_thread.h"

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

  Mutex mutex_;
  CondVar added_;
  std::vector<Tick> incoming_ MREC_GUARDED_BY(mutex_);
  OwnedThread thread_ MREC_GUARDED_BY(mutex_);  ///< started by the first add()
};

}  // namespace mrec::detail
