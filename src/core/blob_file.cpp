#include "mrec/blob_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/blob_access.h"
#include "mrec/errors.h"

namespace mrec {

namespace {

/// Writes all of `data`, going on after short writes and signals.
bool writeAll(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

BlobFile::BlobFile(const std::filesystem::path& path, IfEmpty ifEmpty)
    : path_(path), ifEmpty_(ifEmpty) {
  std::error_code ignored;
  created_ = !std::filesystem::exists(path, ignored);
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0)
    throw DOMException("NotAllowedError",
                       "cannot write " + path.string() + ": " + std::strerror(errno));
  owned_ = true;
}

BlobFile BlobFile::toDescriptor(int fd) {
  BlobFile file;
  file.fd_ = fd;
  file.started_ = true;  // a stream is never emptied
  return file;
}

BlobFile::BlobFile(BlobFile&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(other.fd_),
      owned_(other.owned_),
      created_(other.created_),
      ifEmpty_(other.ifEmpty_),
      started_(other.started_),
      error_(std::move(other.error_)),
      errorCode_(other.errorCode_),
      bytes_(other.bytes_) {
  other.fd_ = -1;
  other.owned_ = false;
}

BlobFile::~BlobFile() {
  close();
}

void BlobFile::close() {
  if (fd_ >= 0 && owned_) {
    ::close(fd_);
    std::error_code ignored;
    if (bytes_ == 0 && created_ && ifEmpty_ == IfEmpty::Remove)
      std::filesystem::remove(path_, ignored);
  }
  fd_ = -1;
  owned_ = false;
}

void BlobFile::fail(int code) {
  errorCode_ = code;
  error_ = std::strerror(code);
}

bool BlobFile::append(const Blob& blob) {
  if (!ok() || fd_ < 0) {
    if (ok()) fail(EBADF);
    return false;
  }
  if (blob.size() == 0) return true;
  if (!started_) {
    if (::ftruncate(fd_, 0) != 0) {
      fail(errno);
      return false;
    }
    started_ = true;
  }
  int code = 0;
  const bool read = detail::BlobAccess::read(blob, [&](const uint8_t* data, size_t size) {
    if (code == 0 && !writeAll(fd_, data, size)) code = errno;
  });
  if (code == 0 && !read) code = EIO;  // the Blob's own temporary file could not be read
  if (code != 0) {
    fail(code);
    // Whole Blobs only: cut back to where this one began (not possible on a pipe).
    if (owned_ && ::ftruncate(fd_, static_cast<off_t>(bytes_)) == 0)
      ::lseek(fd_, static_cast<off_t>(bytes_), SEEK_SET);
    return false;
  }
  bytes_ += blob.size();
  return true;
}

bool BlobFile::sync() {
  if (!ok() || fd_ < 0) return false;
  if (::fsync(fd_) != 0 && errno != EINVAL) {  // EINVAL: a pipe, which has nothing to sync
    fail(errno);
    return false;
  }
  return true;
}

}  // namespace mrec
