#include "core/blob_storage.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace mrec::detail {

namespace {
constexpr size_t kReadPiece = size_t{64} << 10;
}

BlobStorage::BlobStorage(int fd, uint64_t fileBytes, std::vector<uint8_t> tail)
    : fd_(fd), fileBytes_(fileBytes), tail_(std::move(tail)) {}

BlobStorage::~BlobStorage() {
  if (fd_ >= 0) ::close(fd_);
}

bool BlobStorage::read(uint64_t offset, uint64_t length,
                       const std::function<void(const uint8_t*, size_t)>& consume) const {
  const uint64_t end = offset + length;
  if (offset < fileBytes_) {
    // pread leaves the descriptor's position alone, so copies of a Blob on several threads
    // can read at once.
    std::vector<uint8_t> piece(static_cast<size_t>(std::min<uint64_t>(kReadPiece, length)));
    for (uint64_t at = offset; at < std::min(end, fileBytes_);) {
      const auto want =
          static_cast<size_t>(std::min<uint64_t>(piece.size(), std::min(end, fileBytes_) - at));
      const ssize_t n = ::pread(fd_, piece.data(), want, static_cast<off_t>(at));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      consume(piece.data(), static_cast<size_t>(n));
      at += static_cast<uint64_t>(n);
    }
  }
  if (end > fileBytes_) {
    const uint64_t from = std::max(offset, fileBytes_) - fileBytes_;
    consume(tail_.data() + from, static_cast<size_t>(end - fileBytes_ - from));
  }
  return true;
}

}  // namespace mrec::detail
