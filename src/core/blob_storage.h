// Where a Blob's bytes live: an optional prefix in an unlinked temporary file, then a tail in
// memory. Small Blobs are all tail; BlobBuilder moves long undelivered data into the file so
// that a recording's memory stays bounded however long it runs (docs/architecture.md,
// invariant 5).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace mrec::detail {

class BlobStorage {
 public:
  /// All in memory.
  explicit BlobStorage(std::vector<uint8_t> bytes) : tail_(std::move(bytes)) {}
  /// `fileBytes` bytes at the start of `fd` (owned, closed on destruction), then `tail`.
  BlobStorage(int fd, uint64_t fileBytes, std::vector<uint8_t> tail);
  ~BlobStorage();
  BlobStorage(const BlobStorage&) = delete;
  BlobStorage& operator=(const BlobStorage&) = delete;

  uint64_t size() const { return fileBytes_ + tail_.size(); }
  bool spilled() const { return fileBytes_ > 0; }

  /// Calls `consume` with the bytes [offset, offset + length) in order, in pieces of bounded
  /// size; returns false if the file could not be read (the Blob's bytes are then lost to the
  /// reader, which is told, rather than given wrong bytes).
  bool read(uint64_t offset, uint64_t length,
            const std::function<void(const uint8_t*, size_t)>& consume) const;

 private:
  int fd_ = -1;
  uint64_t fileBytes_ = 0;
  std::vector<uint8_t> tail_;
};

}  // namespace mrec::detail
