// mrec: record from the command line and ask what can be recorded.
#include <iostream>
#include <string>
#include <vector>

#include "command_line.h"
#include "commands.h"

namespace {
const char* const kUsage =
    "usage: mrec COMMAND [OPTIONS]\n"
    "\n"
    "  record   record an input, a tone or a WAV file to Ogg, WebM, Matroska or MP4\n"
    "  devices  list the audio inputs\n"
    "  types    show which MIME types can be recorded\n"
    "  fix      make WebM and MP4 recordings seekable (yours, or a browser's)\n"
    "  dictaphone  serve the Web dictaphone (a recorder app in the browser)\n"
    "\n"
    "`mrec COMMAND --help` describes each command.\n";
}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? mrec::cli::kUsage : mrec::cli::kOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (args[0] == "record") return mrec::cli::runRecord(rest);
    if (args[0] == "types") return mrec::cli::runTypes(rest);
    if (args[0] == "devices") return mrec::cli::runDevices(rest);
    if (args[0] == "dictaphone") return mrec::cli::runDictaphone(rest);
    if (args[0] == "fix") return mrec::cli::runFix(rest);
    throw mrec::cli::UsageError("unknown command \"" + args[0] + "\"");
  } catch (const mrec::cli::UsageError& e) {
    std::cerr << "mrec: " << e.what() << "\n" << kUsage;
    return mrec::cli::kUsage;
  }
}
