// The library's own door into Blob: a Blob over storage a BlobBuilder made.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "mrec/blob.h"

namespace mrec::detail {

class BlobStorage;

struct BlobAccess {
  static Blob make(std::shared_ptr<const BlobStorage> storage, std::string type);
  /// Whether any of the Blob's bytes live in a temporary file.
  static bool spilled(const Blob& blob);
  /// Calls `consume` with the Blob's bytes in order, a bounded piece at a time; false if a
  /// file-backed Blob's temporary file could not be read.
  static bool read(const Blob& blob, const std::function<void(const uint8_t*, size_t)>& consume);
};

}  // namespace mrec::detail
