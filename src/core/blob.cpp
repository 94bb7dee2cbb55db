#include "mrec/blob.h"

#include <algorithm>

#include "core/blob_storage.h"

namespace mrec {

Blob::Blob() = default;

Blob::Blob(std::vector<uint8_t> bytes, std::string type) : type_(std::move(type)) {
  length_ = bytes.size();
  if (length_ > 0) storage_ = std::make_shared<detail::BlobStorage>(std::move(bytes));
}

Blob::Blob(const std::vector<Blob>& parts, std::string type) : type_(std::move(type)) {
  if (parts.size() == 1) {  // sharing is cheaper than copying
    storage_ = parts[0].storage_;
    offset_ = parts[0].offset_;
    length_ = parts[0].length_;
    return;
  }
  uint64_t total = 0;
  for (const Blob& part : parts) total += part.size();
  std::vector<uint8_t> bytes;
  bytes.reserve(total);
  for (const Blob& part : parts) {
    if (part.length_ == 0) continue;
    const uint8_t* begin = part.storage_->data() + part.offset_;
    bytes.insert(bytes.end(), begin, begin + part.length_);
  }
  length_ = bytes.size();
  if (length_ > 0) storage_ = std::make_shared<detail::BlobStorage>(std::move(bytes));
}

Blob Blob::slice(int64_t start, std::optional<int64_t> end, std::string contentType) const {
  // File API "slice": negative positions count back from the end; the range is clamped.
  const auto size = static_cast<int64_t>(length_);
  auto clampPosition = [size](int64_t position) {
    return position < 0 ? std::max<int64_t>(size + position, 0) : std::min(position, size);
  };
  const int64_t from = clampPosition(start);
  const int64_t to = clampPosition(end.value_or(size));
  Blob result;
  result.type_ = std::move(contentType);
  if (to > from) {
    result.storage_ = storage_;
    result.offset_ = offset_ + static_cast<uint64_t>(from);
    result.length_ = static_cast<uint64_t>(to - from);
  }
  return result;
}

std::vector<uint8_t> Blob::arrayBuffer() const {
  if (length_ == 0) return {};
  const uint8_t* begin = storage_->data() + offset_;
  return {begin, begin + length_};
}

std::string Blob::text() const {
  if (length_ == 0) return {};
  const auto* begin = reinterpret_cast<const char*>(storage_->data() + offset_);
  return {begin, begin + length_};
}

void Blob::writeTo(std::ostream& out) const {
  if (length_ == 0) return;
  out.write(reinterpret_cast<const char*>(storage_->data() + offset_),
            static_cast<std::streamsize>(length_));
}

}  // namespace mrec
