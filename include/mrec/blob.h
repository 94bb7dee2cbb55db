// Blob: an immutable run of bytes with a MIME type, cheap to copy.
//
//   std::vector<mrec::Blob> chunks;            // filled by ondataavailable
//   mrec::Blob file(chunks, recorder.mimeType());
//   std::ofstream out("clip.ogg", std::ios::binary);
//   file.writeTo(out);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace mrec {

namespace detail {
class BlobStorage;
}

class Blob {
 public:
  /// An empty Blob of type "".
  Blob();
  Blob(std::vector<uint8_t> bytes, std::string type = "");
  /// `new Blob(parts, {type})`: the parts' bytes, one after another.
  Blob(const std::vector<Blob>& parts, std::string type = "");

  uint64_t size() const { return length_; }
  const std::string& type() const { return type_; }
  /// Bytes [start, end) with negative offsets counted from the end, as File API's slice().
  Blob slice(int64_t start = 0, std::optional<int64_t> end = {},
             std::string contentType = "") const;
  /// A copy of the bytes.
  std::vector<uint8_t> arrayBuffer() const;
  /// The bytes as a string (UTF-8 is not validated).
  std::string text() const;
  void writeTo(std::ostream& out) const;

 private:
  std::shared_ptr<const detail::BlobStorage> storage_;
  uint64_t offset_ = 0;
  uint64_t length_ = 0;
  std::string type_;
};

}  // namespace mrec
