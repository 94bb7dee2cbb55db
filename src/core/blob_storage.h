// Where a Blob's bytes live. Memory today; a spill file can implement the same interface.
#pragma once

#include <cstdint>
#include <vector>

namespace mrec::detail {

class BlobStorage {
 public:
  explicit BlobStorage(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const { return bytes_.size(); }
  const uint8_t* data() const { return bytes_.data(); }

 private:
  const std::vector<uint8_t> bytes_;
};

}  // namespace mrec::detail
