// One thread paces every realtime rendered source (tones, WAV files played in real time) by
// the wall clock, as a device's callback thread serves all of its streams: a tick every
// 10 ms hands each source's next chunk to its tracks. One thread for all, rather than one
// per source, keeps hundreds of concurrent recordings from costing hundreds of wake-ups
// every 10 ms.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace mrec::detail {

class RealtimeTicker {
 public:
  /// Called on the ticker's thread each tick; returns false when the source is done (it is
  /// then dropped).
  class Client {
   public:
    virtual ~Client() = default;
    virtual bool tick() = 0;
  };

  /// The process's ticker; its thread starts with the first client.
  static RealtimeTicker& instance();
  /// Ticks `client` from the next tick on, keeping it alive until its tick() returns false.
  void add(std::shared_ptr<Client> client);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable added_;
  std::vector<std::shared_ptr<Client>> incoming_;  ///< guarded by mutex_
  bool started_ = false;                           ///< guarded by mutex_
};

}  // namespace mrec::detail
