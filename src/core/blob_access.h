// The library's own door into Blob: a Blob over storage a BlobBuilder made.
#pragma once

#include <memory>
#include <string>

#include "mrec/blob.h"

namespace mrec::detail {

class BlobStorage;

struct BlobAccess {
  static Blob make(std::shared_ptr<const BlobStorage> storage, std::string type);
  /// Whether any of the Blob's bytes live in a temporary file.
  static bool spilled(const Blob& blob);
};

}  // namespace mrec::detail
