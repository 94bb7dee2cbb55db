// A real PulseAudio daemon of the test's own, started and stopped by pulse-daemon.sh (the
// script the Dictaphone's tests use too): private runtime dir, a null sink "test" whose
// monitor "test.monitor" is the default source. Points this process's libpulse at it.
#pragma once

#include <filesystem>
#include <string>

#include "support/media_tools.h"

namespace mrec::test {

class PulseDaemon {
 public:
  PulseDaemon();
  ~PulseDaemon();
  bool running() const { return started_; }
  const std::string& log() const { return log_; }
  /// Plays `wav` into the null sink in the background (20 ms latency), until the daemon stops.
  void play(const std::filesystem::path& wav);
  /// Stops the daemon (as a crash would, for the tests of a server that dies).
  void kill();

 private:
  TempDir dir_;
  bool started_ = false;
  std::string log_;
};

}  // namespace mrec::test
