// The entry point the `mrec dictaphone` module exports for mrec to find with dlsym.
#pragma once

#include <string>
#include <vector>

namespace mrec::cli {

/// Runs `mrec dictaphone` with the arguments after the command's name; the exit code.
using DictaphoneMain = int (*)(const std::vector<std::string>* args);
inline constexpr const char* kDictaphoneMainSymbol = "mrec_dictaphone_main";

}  // namespace mrec::cli
