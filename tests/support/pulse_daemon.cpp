#include "support/pulse_daemon.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace mrec::test {

PulseDaemon::PulseDaemon() {
  const std::string root = dir_.path().string();
  env_ = "PULSE_RUNTIME_PATH='" + root + "/run' PULSE_STATE_PATH='" + root +
         "/state' XDG_CONFIG_HOME='" + root + "/config' ";
  const auto result =
      runCommand(env_ +
                 "pulseaudio -n --daemonize=yes --exit-idle-time=-1 --disallow-exit=yes "
                 "--system=false --log-target=file:'" +
                 root +
                 "/pulse.log' "
                 "-L 'module-null-sink sink_name=test rate=48000 channels=2' "
                 "-L module-native-protocol-unix");
  log_ = result.output;
  setenv("PULSE_SERVER", ("unix:" + root + "/run/native").c_str(), 1);
  setenv("PULSE_RUNTIME_PATH", (root + "/run").c_str(), 1);
  for (int i = 0; i < 100 && !started_; ++i) {
    started_ = runCommand("pactl info").status == 0;
    if (!started_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

PulseDaemon::~PulseDaemon() {
  kill();
  for (const auto& pid : players_) runCommand("kill " + pid + " 2>/dev/null || true");
}

void PulseDaemon::play(const std::filesystem::path& wav) {
  // A quarter second of buffer: a busy machine (parallel tests, sanitizers) must not starve
  // the player into underruns, which would put gaps in the tone. The capture's own small
  // fragments keep the null sink rendering in small blocks once it is running.
  auto started = runCommand("paplay --device=test --latency-msec=250 '" + wav.string() +
                            "' >/dev/null 2>&1 & echo $!");
  while (!started.output.empty() && started.output.back() == '\n') started.output.pop_back();
  players_.push_back(started.output);
}

void PulseDaemon::kill() {
  std::ifstream pidFile(dir_.path() / "run" / "pid");
  std::string pid;
  if (pidFile >> pid) runCommand("kill -TERM " + pid);
  // The server is gone for this process's clients from here on.
  for (int i = 0; i < 100 && runCommand("pactl info").status == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace mrec::test
