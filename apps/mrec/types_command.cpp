// mrec types [TYPE...]: what isTypeSupported() answers.
#include <mrec/mrec.h>

#include <iostream>

#include "command_line.h"
#include "commands.h"

namespace mrec::cli {

namespace {
const char* const kUsageText =
    "usage: mrec types [TYPE...]\n"
    "Prints, for each MIME type (or for a list of common ones), whether mrec can record it.\n";

// The types people ask about: what mrec records, and what browsers record that it does not.
const char* const kKnownTypes[] = {
    "audio/ogg;codecs=opus",          "audio/webm;codecs=opus",       "audio/webm;codecs=pcm",
    "video/webm;codecs=opus",         "video/x-matroska;codecs=opus", "video/x-matroska;codecs=pcm",
    "audio/ogg;codecs=vorbis",        "audio/mp4;codecs=mp4a.40.2",   "audio/wav",
    "video/webm;codecs=vp8,opus",     "video/webm;codecs=vp9,opus",   "video/webm;codecs=av1,opus",
    "video/mp4;codecs=avc1,mp4a.40.2"};
}  // namespace

int runTypes(const std::vector<std::string>& args) {
  const CommandLine line(args, {}, {"--help", "-h"});
  if (line.has("--help") || line.has("-h")) {
    std::cout << kUsageText;
    return kOk;
  }
  std::vector<std::string> types = line.positional();
  if (types.empty()) types.assign(std::begin(kKnownTypes), std::end(kKnownTypes));
  for (const auto& type : types)
    std::cout << (MediaRecorder::isTypeSupported(type) ? "yes  " : "no   ") << type << "\n";
  return kOk;
}

}  // namespace mrec::cli
