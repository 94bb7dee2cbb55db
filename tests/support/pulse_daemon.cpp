#include "support/pulse_daemon.h"

#include <cstdlib>

namespace mrec::test {

namespace {
std::string script() {
  return std::string("'") + MREC_PULSE_DAEMON_SCRIPT + "' ";
}
}  // namespace

PulseDaemon::PulseDaemon() {
  const auto result = runCommand(script() + "start '" + dir_.path().string() + "' 2>&1");
  started_ = result.status == 0;
  log_ = result.output;
  if (!started_) return;
  std::string server = result.output;
  while (!server.empty() && server.back() == '\n') server.pop_back();
  setenv("PULSE_SERVER", server.c_str(), 1);
  setenv("PULSE_RUNTIME_PATH", (dir_.path() / "run").c_str(), 1);
}

PulseDaemon::~PulseDaemon() {
  kill();
}

void PulseDaemon::play(const std::filesystem::path& wav) {
  runCommand(script() + "play '" + dir_.path().string() + "' '" + wav.string() + "'");
}

void PulseDaemon::kill() {
  if (started_) runCommand(script() + "stop '" + dir_.path().string() + "'");
}

}  // namespace mrec::test
