#include "sources/pulse_library.h"

#include <string>

#include "core/runtime_library.h"
#include "mrec/errors.h"

namespace mrec::detail {

namespace {

struct Loaded {
  PulseLibrary library;
  std::string error;  ///< why it could not be loaded; empty when it was
};

Loaded load() {
  // The Debian package depends on libpulse0 by name (cmake/packaging.cmake): dpkg-shlibdeps
  // cannot see it.
  RuntimeLibrary library("libpulse.so.0");
  Loaded loaded;
#define MREC_PULSE_RESOLVE(name) library.resolve(loaded.library.name, "pa_" #name);
  MREC_PULSE_FUNCTIONS(MREC_PULSE_RESOLVE)
#undef MREC_PULSE_RESOLVE
  loaded.error = library.error();
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
