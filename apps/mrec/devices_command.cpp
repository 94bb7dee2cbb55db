// mrec devices: the inputs mediaDevices::enumerateDevices() finds.
#include <mrec/mrec.h>

#include <iostream>

#include "command_line.h"
#include "commands.h"

namespace mrec::cli {

namespace {
const char* const kUsageText =
    "usage: mrec devices\n"
    "Lists the audio inputs: id, then label; * marks the default. Use an id with\n"
    "`mrec record --device ID`.\n";
}  // namespace

int runDevices(const std::vector<std::string>& args) {
  const CommandLine line(args, {}, {"--help", "-h"});
  if (line.has("--help") || line.has("-h")) {
    std::cout << kUsageText;
    return kOk;
  }
  if (!line.positional().empty()) throw UsageError("devices takes no argument");
  const auto devices = mediaDevices::enumerateDevices();
  std::string defaultLabel;
  for (const auto& device : devices)
    if (device.deviceId == "default") defaultLabel = device.label;
  int inputs = 0;
  for (const auto& device : devices) {
    if (device.kind != "audioinput" || device.deviceId == "default") continue;
    ++inputs;
    const bool isDefault = defaultLabel == "Default (" + device.label + ")";
    std::cout << (isDefault ? "* " : "  ") << device.deviceId << "\t" << device.label << "\n";
  }
  if (inputs == 0) {
    std::cerr << "mrec: no audio input (is an audio server running?)\n";
    return kNoInput;
  }
  return kOk;
}

}  // namespace mrec::cli
