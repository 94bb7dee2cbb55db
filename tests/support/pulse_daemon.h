// A real PulseAudio daemon of the test's own (../shared/TESTING.md): private runtime dir, a
// null sink "test" whose monitor "test.monitor" is the default source, stopped by pid.
// Points this process's libpulse at it through PULSE_SERVER.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/media_tools.h"

namespace mrec::test {

class PulseDaemon {
 public:
  PulseDaemon();
  ~PulseDaemon();
  bool running() const { return started_; }
  const std::string& log() const { return log_; }
  /// Plays `wav` into the null sink in the background, with a small latency.
  void play(const std::filesystem::path& wav);
  /// Stops the daemon (as a crash would, for the tests of a server that dies).
  void kill();

 private:
  TempDir dir_;
  std::string env_;
  bool started_ = false;
  std::string log_;
  std::vector<std::string> players_;  ///< pids of paplay
};

}  // namespace mrec::test
