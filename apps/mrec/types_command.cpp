// mrec types [TYPE...]: what isTypeSupported() answers.
#include <mrec/mrec.h>

#include <iostream>

#include "command_line.h"
#include "commands.h"

namespace mrec::cli {

namespace {
const char* const kUsageText =
    "usage: mrec types [TYPE...]\n"
    "Prints, for each MIME type, whether mrec can record it; with none, every type it\n"
    "records and some common ones it does not.\n";

// Types browsers record, or people ask for, that mrec does not: listed after its own.
const char* const kOtherTypes[] = {"audio/ogg;codecs=vorbis", "audio/mp4;codecs=mp4a.40.2",
                                   "audio/wav", "video/mp4;codecs=avc1,mp4a.40.2"};
}  // namespace

int runTypes(const std::vector<std::string>& args) {
  const CommandLine line(args, {}, {"--help", "-h"});
  if (line.has("--help") || line.has("-h")) {
    std::cout << kUsageText;
    return kOk;
  }
  std::vector<std::string> types = line.positional();
  if (types.empty()) {
    types = recordableTypes();
    types.insert(types.end(), std::begin(kOtherTypes), std::end(kOtherTypes));
  }
  for (const auto& type : types)
    std::cout << (MediaRecorder::isTypeSupported(type) ? "yes  " : "no   ") << type << "\n";
  return kOk;
}

}  // namespace mrec::cli
