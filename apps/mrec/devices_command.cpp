// mrec devices: the inputs mediaDevices::enumerateDevices() finds.
#include <mrec/mrec.h>

#include <iostream>

#include "command_line.h"
#include "commands.h"

namespace mrec::cli {

namespace {
const char* const kUsageText =
    "usage: mrec devices\n"
    "Lists the audio inputs, then the cameras: id, then label; * marks the default of each\n"
    "kind. Use an audio id with `mrec record --device ID`, a camera's with --video ID.\n";
}  // namespace

int runDevices(const std::vector<std::string>& args) {
  const CommandLine line(args, {}, {"--help", "-h"});
  if (line.has("--help") || line.has("-h")) {
    std::cout << kUsageText;
    return kOk;
  }
  if (!line.positional().empty()) throw UsageError("devices takes no argument");
  const auto devices = mediaDevices::enumerateDevices();
  int inputs = 0;
  for (const char* kind : {"audioinput", "videoinput"}) {
    std::string defaultLabel;
    for (const auto& device : devices)
      if (device.kind == kind && device.deviceId == "default") defaultLabel = device.label;
    bool defaultShown = false;
    for (const auto& device : devices) {
      if (device.kind != kind || device.deviceId == "default") continue;
      ++inputs;
      const bool isDefault = !defaultShown && defaultLabel == "Default (" + device.label + ")";
      defaultShown = defaultShown || isDefault;
      std::cout << (isDefault ? "* " : "  ") << device.deviceId << "\t" << device.label << "\n";
    }
  }
  if (inputs == 0) {
    std::cerr << "mrec: no audio input (is an audio server running?) and no camera\n";
    return kNoInput;
  }
  return kOk;
}

}  // namespace mrec::cli
