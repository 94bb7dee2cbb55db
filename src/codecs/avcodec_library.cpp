#include "codecs/avcodec_library.h"

#include <dlfcn.h>

#include <string>

namespace mrec::detail {

namespace {

struct Loaded {
  AvcodecLibrary library;
  std::string error;  ///< why it could not be loaded; empty when it was
};

Loaded load() {
  Loaded loaded;
  // The major version compiled against: another one's structures may differ. RTLD_LOCAL:
  // its symbols serve only the pointers resolved here; dlsym on its handle finds libavutil's
  // too, as a library it depends on.
  const std::string name = "libavcodec.so." + std::to_string(LIBAVCODEC_VERSION_MAJOR);
  void* handle = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    loaded.error = why ? why : name + " cannot be loaded";
    return loaded;
  }
  // clang-format off
#define MREC_AVCODEC_RESOLVE(name) \
  loaded.library.name = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name)); \
  if (!loaded.library.name && loaded.error.empty()) loaded.error = "no " #name " in it";
  // clang-format on
  MREC_AVCODEC_FUNCTIONS(MREC_AVCODEC_RESOLVE)
#undef MREC_AVCODEC_RESOLVE
  return loaded;
}

}  // namespace

const AvcodecLibrary* avcodec(std::string& error) {
  static const Loaded loaded = load();
  if (!loaded.error.empty()) {
    error = "cannot load libavcodec: " + loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace mrec::detail
