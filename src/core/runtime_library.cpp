#include "core/runtime_library.h"

#include <dlfcn.h>

namespace mrec::detail {

RuntimeLibrary::RuntimeLibrary(const std::string& soname)
    : handle_(::dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL)) {
  if (handle_) return;
  const char* why = ::dlerror();
  error_ = why ? why : soname + " cannot be loaded";
}

void* RuntimeLibrary::address(const char* symbol) {
  if (!handle_) return nullptr;
  void* found = ::dlsym(handle_, symbol);
  if (!found && error_.empty()) error_ = std::string("no ") + symbol + " in it";
  return found;
}

}  // namespace mrec::detail
