#include "core/blob_builder.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace mrec::detail {

namespace {

/// Once spilled, bytes are written in batches of this size rather than one packet at a time.
constexpr size_t kSpillBatch = size_t{256} << 10;

std::string temporaryDirectory() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

/// A file with no name: it goes away with its last descriptor, even after a crash.
int openUnlinkedFile() {
  const std::string dir = temporaryDirectory();
#ifdef O_TMPFILE
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
#endif
  std::string name = dir + "/mrec-blob-XXXXXX";
  int fd2 = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd2 >= 0) ::unlink(name.c_str());
  return fd2;
}

/// Writes as much of [bytes, bytes + length) as the file takes; returns how much that was.
size_t writeAll(int fd, const uint8_t* bytes, size_t length) {
  size_t written = 0;
  while (written < length) {
    const ssize_t n = ::write(fd, bytes + written, length - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  return written;
}

}  // namespace

BlobBuilder::BlobBuilder(size_t spillThreshold) : spillThreshold_(spillThreshold) {}

BlobBuilder::~BlobBuilder() {
  if (fd_ >= 0) ::close(fd_);
}

void BlobBuilder::append(const uint8_t* bytes, size_t length) {
  if (length == 0) return;
  memory_.insert(memory_.end(), bytes, bytes + length);
  spillIfDue();
}

void BlobBuilder::spillIfDue() {
  if (spillFailed_) return;
  if (fd_ < 0 ? memory_.size() > spillThreshold_ : memory_.size() >= kSpillBatch) spill();
}

void BlobBuilder::spill() {
  if (fd_ < 0) {
    fd_ = openUnlinkedFile();
    if (fd_ < 0) {
      spillFailed_ = true;
      return;
    }
  }
  const size_t written = writeAll(fd_, memory_.data(), memory_.size());
  fileBytes_ += written;
  if (written < memory_.size()) {
    // The disk is full or refused: keep the rest in memory rather than lose it.
    spillFailed_ = true;
    memory_.erase(memory_.begin(), memory_.begin() + static_cast<ptrdiff_t>(written));
    return;
  }
  // Give back the memory that held everything up to the threshold; keep one batch's worth.
  memory_ = {};
  memory_.reserve(kSpillBatch);
}

std::shared_ptr<const BlobStorage> BlobBuilder::take() {
  std::shared_ptr<const BlobStorage> storage;
  if (fd_ >= 0 && fileBytes_ > 0)
    storage = std::make_shared<BlobStorage>(fd_, fileBytes_, std::move(memory_));
  else if (!memory_.empty())
    storage = std::make_shared<BlobStorage>(std::move(memory_));
  if (fd_ >= 0 && fileBytes_ == 0) ::close(fd_);
  fd_ = -1;
  fileBytes_ = 0;
  memory_ = {};
  spillFailed_ = false;
  return storage;
}

}  // namespace mrec::detail
