// Blob: an immutable run of bytes with a MIME type, cheap to copy. Its bytes live in memory
// or, for long recordings, in an unlinked temporary file; users cannot tell, except that
// writeTo() streams a file-backed Blob without loading it.
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
struct BlobAccess;
}  // namespace detail

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
  /// A copy of the bytes. Throws DOMException NotReadableError if a file-backed Blob's
  /// temporary file cannot be read back.
  std::vector<uint8_t> arrayBuffer() const;
  /// The bytes as a string (UTF-8 is not validated).
  std::string text() const;
  /// Writes the bytes to `out`, a piece at a time; sets badbit on `out` if they cannot be read.
  void writeTo(std::ostream& out) const;

 private:
  friend struct detail::BlobAccess;
  std::shared_ptr<const detail::BlobStorage> storage_;
  uint64_t offset_ = 0;
  uint64_t length_ = 0;
  std::string type_;
};

}  // namespace mrec
