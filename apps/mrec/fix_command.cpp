// mrec fix FILE...: makes recordings seekable: WebM's Duration and Cues, MP4's full index.
#include <mrec/mrec.h>

#include <iostream>

#include "command_line.h"
#include "commands.h"

namespace mrec::cli {

namespace {
const char* const kUsageText =
    "usage: mrec fix FILE...\n"
    "\n"
    "Makes WebM/Matroska recordings seekable: writes their Duration and an index (Cues), so\n"
    "that players show the length and can seek. Browsers' MediaRecorder files, and files cut\n"
    "off by a crash, are rewritten through a temporary file that then takes the file's place\n"
    "with its mode, owner, links and symbolic links kept; mrec's own are completed in place.\n"
    "A size that runs past the end of the file is read to the end, and damage in the middle\n"
    "costs only the cluster it hits. The result is read back before it replaces anything: a\n"
    "file that would lose media, or holds none, is left as it is (exit 1). A fragmented MP4 "
    "(mrec's own, or one cut off by a crash) becomes a regular MP4 in\n"
    "place, indexing every sample, with a partial last fragment dropped. Ogg files are already\n"
    "seekable and are left as they are.\n";
}  // namespace

int runFix(const std::vector<std::string>& args) {
  const CommandLine line(args, {}, {"--help", "-h"});
  if (line.has("--help") || line.has("-h")) {
    std::cout << kUsageText;
    return kOk;
  }
  if (line.positional().empty()) throw UsageError("give the files to fix");
  int exitCode = kOk;
  for (const auto& file : line.positional()) {
    try {
      makeSeekable(file);
    } catch (const DOMException& e) {
      std::cerr << "mrec fix: " << e.what() << "\n";
      exitCode = e.name() == "EncodingError" ? kRecordingError : kNoInput;
    }
  }
  return exitCode;
}

}  // namespace mrec::cli
