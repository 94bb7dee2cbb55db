#include "codecs/avcodec_library.h"

#include <string>

#include "core/runtime_library.h"

namespace mrec::detail {

namespace {

struct Loaded {
  AvcodecLibrary library;
  std::string error;  ///< why it could not be loaded; empty when it was
};

Loaded load() {
  // The major version compiled against: another one's structures may differ. Its handle
  // finds libavutil's functions too, as a library it depends on.
  RuntimeLibrary library("libavcodec.so." + std::to_string(LIBAVCODEC_VERSION_MAJOR));
  Loaded loaded;
#define MREC_AVCODEC_RESOLVE(name) library.resolve(loaded.library.name, #name);
  MREC_AVCODEC_FUNCTIONS(MREC_AVCODEC_RESOLVE)
#undef MREC_AVCODEC_RESOLVE
  loaded.error = library.error();
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
