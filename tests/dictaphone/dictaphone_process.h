// `mrec dictaphone` as a separate process, for tests that kill it or start a second one.
#pragma once

#include <filesystem>
#include <string>
#include <utility>

namespace dictaphone::test {

/// Starts `mrec dictaphone` in the background on a free port, its output in `log`; returns
/// its pid and port (0 if it never said where it listens). `options` are added to its
/// command line as they are ("--upload-timeout 1").
std::pair<std::string, int> startDictaphone(const std::filesystem::path& data,
                                            const std::filesystem::path& log,
                                            const std::string& options = "");

}  // namespace dictaphone::test
