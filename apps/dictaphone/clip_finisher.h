// The one way a clip's file is finished, on stop and in start-up recovery alike: made
// seekable where its container needs it, and its duration read back from the file.
#pragma once

#include <filesystem>
#include <string>

namespace dictaphone {

struct FinishedFile {
  double seconds = 0;  ///< media duration, as the file says
  std::string error;   ///< why it could not be indexed, "" if it was
};

/// `fallbackSeconds` is the duration when the file does not tell its own.
FinishedFile finishClipFile(const std::filesystem::path& file, const std::string& mimeType,
                            double fallbackSeconds);

}  // namespace dictaphone
