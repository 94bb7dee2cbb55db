// Gathers bytes for one Blob. Up to `spillThreshold` bytes stay in memory; past it they move
// to an unlinked temporary file (in $TMPDIR, else /tmp), so undelivered media costs a bounded
// amount of memory however long a recording runs without a timeslice. If the file cannot be
// made or written (a full disk), the bytes stay in memory: nothing is lost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/blob_storage.h"

namespace mrec::detail {

/// "A few MiB": below it a Blob never touches the disk.
inline constexpr size_t kDefaultSpillThreshold = size_t{4} << 20;

class BlobBuilder {
 public:
  explicit BlobBuilder(size_t spillThreshold = kDefaultSpillThreshold);
  ~BlobBuilder();
  BlobBuilder(const BlobBuilder&) = delete;
  BlobBuilder& operator=(const BlobBuilder&) = delete;

  void append(const uint8_t* bytes, size_t length);
  /// Lets `write` append to the builder's memory itself (a muxer writes straight into it),
  /// then spills as append() does: the bytes are not copied on the way in.
  template <typename Write>
  void appendWith(Write&& write) {
    write(memory_);
    spillIfDue();
  }
  uint64_t size() const { return fileBytes_ + memory_.size(); }

  /// The bytes gathered so far, as storage for a Blob (null when empty); the builder starts
  /// over empty.
  std::shared_ptr<const BlobStorage> take();

 private:
  void spillIfDue();
  void spill();

  const size_t spillThreshold_;
  std::vector<uint8_t> memory_;
  int fd_ = -1;
  uint64_t fileBytes_ = 0;
  bool spillFailed_ = false;  ///< once the disk refused, stay in memory for this Blob
};

}  // namespace mrec::detail
