// The subcommands of `mrec`. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace mrec::cli {

/// Exit codes, so that scripts can tell failures apart.
enum ExitCode {
  kOk = 0,
  kRecordingError = 1,  ///< the recorder fired an error event (the file is still valid)
  kUsage = 2,           ///< a mistake in the command line
  kUnsupportedType = 3,
  kNoInput = 4,        ///< no such device or file, or nothing to record from
  kOutputError = 5,    ///< the output cannot be written
  kInterrupted = 130,  ///< a second Ctrl-C aborted the recording
};

int runRecord(const std::vector<std::string>& args);
int runTypes(const std::vector<std::string>& args);
int runDevices(const std::vector<std::string>& args);
int runDictaphone(const std::vector<std::string>& args);
int runFix(const std::vector<std::string>& args);

}  // namespace mrec::cli
