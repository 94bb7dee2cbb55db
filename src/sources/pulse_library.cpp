#include "sources/pulse_library.h"

#include <dlfcn.h>

#include <string>

#include "mrec/errors.h"

namespace mrec::detail {

namespace {

struct Loaded {
  PulseLibrary library;
  std::string error;  ///< why it could not be loaded; empty when it was
};

Loaded load() {
  Loaded loaded;
  // RTLD_LOCAL: its symbols serve only the pointers resolved here. The Debian package
  // depends on libpulse0 by name (cmake/packaging.cmake): dpkg-shlibdeps cannot see it.
  void* handle = ::dlopen("libpulse.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    loaded.error = why ? why : "libpulse.so.0 cannot be loaded";
    return loaded;
  }
  // clang-format off
#define MREC_PULSE_RESOLVE(name) \
  loaded.library.name = reinterpret_cast<decltype(&::pa_##name)>(::dlsym(handle, "pa_" #name)); \
  if (!loaded.library.name && loaded.error.empty()) loaded.error = "no pa_" #name " in it";
  // clang-format on
  MREC_PULSE_FUNCTIONS(MREC_PULSE_RESOLVE)
#undef MREC_PULSE_RESOLVE
  return loaded;
}

}  // namespace

const PulseLibrary& pulse() {
  static const Loaded loaded = load();
  if (!loaded.error.empty())
    throw DOMException("NotReadableError", "cannot load PulseAudio's library: " + loaded.error);
  return loaded.library;
}

}  // namespace mrec::detail
