// mrec dictaphone, as `mrec` runs it: loads the command's module and runs it there. The
// module (dictaphone_command.cpp) is kept out of the executable so that the other commands
// do not load the Dictaphone's HTTP, TLS and SQLite libraries (see CMakeLists.txt).
#include <dlfcn.h>

#include <filesystem>
#include <iostream>
#include <system_error>

#include "commands.h"
#include "dictaphone_module.h"

namespace mrec::cli {

namespace {

constexpr const char* kModuleName = "mrec-dictaphone.so";

/// Beside the executable (the build tree), then where the install puts it relative to the
/// executable (bin/../lib/mrec, whatever the prefix).
std::vector<std::filesystem::path> moduleCandidates() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const auto bin = self.parent_path();
  return {bin / kModuleName, (bin / MREC_MODULE_DIR_FROM_BIN / kModuleName).lexically_normal()};
}

}  // namespace

int runDictaphone(const std::vector<std::string>& args) {
  std::string errors;
  for (const auto& candidate : moduleCandidates()) {
    std::error_code ec;
    if (!std::filesystem::exists(candidate, ec)) continue;
    // Never closed: the server's threads and static objects live until the process ends.
    void* module = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!module) {
      errors += std::string("; ") + ::dlerror();
      continue;
    }
    const auto run = reinterpret_cast<DictaphoneMain>(::dlsym(module, kDictaphoneMainSymbol));
    if (!run) {
      errors += "; " + candidate.string() + " has no " + kDictaphoneMainSymbol;
      continue;
    }
    return run(&args);
  }
  std::cerr << "mrec dictaphone: cannot load " << kModuleName << " (looked beside mrec and in "
            << MREC_MODULE_DIR_FROM_BIN << " from it" << errors << ")\n";
  return kNoInput;
}

}  // namespace mrec::cli
