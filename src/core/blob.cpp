#include "mrec/blob.h"

#include <algorithm>

#include "core/blob_access.h"
#include "core/blob_builder.h"
#include "core/blob_storage.h"
#include "mrec/errors.h"

namespace mrec {

namespace {
// Every reader of a Blob's bytes: a temporary file that cannot be read back is an error the
// caller sees, never wrong or missing bytes.
void readOrThrow(const detail::BlobStorage& storage, uint64_t offset, uint64_t length,
                 const std::function<void(const uint8_t*, size_t)>& consume) {
  if (!storage.read(offset, length, consume))
    throw DOMException("NotReadableError", "a Blob's temporary file could not be read back");
}
}  // namespace

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
  // Through a builder, so that joining the Blobs of a long recording spills as recording does.
  detail::BlobBuilder builder;
  for (const Blob& part : parts) {
    if (part.length_ == 0) continue;
    readOrThrow(*part.storage_, part.offset_, part.length_,
                [&](const uint8_t* bytes, size_t n) { builder.append(bytes, n); });
  }
  length_ = builder.size();
  storage_ = builder.take();
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
  std::vector<uint8_t> bytes;
  if (length_ == 0) return bytes;
  bytes.reserve(length_);
  readOrThrow(*storage_, offset_, length_,
              [&](const uint8_t* piece, size_t n) { bytes.insert(bytes.end(), piece, piece + n); });
  return bytes;
}

std::string Blob::text() const {
  std::string text;
  if (length_ == 0) return text;
  text.reserve(length_);
  readOrThrow(*storage_, offset_, length_, [&](const uint8_t* piece, size_t n) {
    text.append(reinterpret_cast<const char*>(piece), n);
  });
  return text;
}

void Blob::writeTo(std::ostream& out) const {
  if (length_ == 0) return;
  if (!storage_->read(offset_, length_, [&](const uint8_t* piece, size_t n) {
        out.write(reinterpret_cast<const char*>(piece), static_cast<std::streamsize>(n));
      }))
    out.setstate(std::ios::badbit);
}

namespace detail {

Blob BlobAccess::make(std::shared_ptr<const BlobStorage> storage, std::string type) {
  Blob blob;
  blob.type_ = std::move(type);
  if (storage && storage->size() > 0) {
    blob.length_ = storage->size();
    blob.storage_ = std::move(storage);
  }
  return blob;
}

bool BlobAccess::spilled(const Blob& blob) {
  return blob.storage_ && blob.storage_->spilled();
}

bool BlobAccess::read(const Blob& blob,
                      const std::function<void(const uint8_t*, size_t)>& consume) {
  return blob.length_ == 0 || blob.storage_->read(blob.offset_, blob.length_, consume);
}

}  // namespace detail

}  // namespace mrec
