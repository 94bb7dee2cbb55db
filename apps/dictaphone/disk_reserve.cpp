#include "disk_reserve.h"

#include <fcntl.h>
#include <unistd.h>

namespace dictaphone {

namespace {
// Enough for a finish and a rename: a few WAL frames of 4 KiB pages.
constexpr off_t kReserveBytes = 256 * 1024;
}  // namespace

DiskReserve::DiskReserve(std::filesystem::path file) : file_(std::move(file)) {
  restore();
}

void DiskReserve::release() {
  if (held_.exchange(false)) ::unlink(file_.c_str());
}

void DiskReserve::restore() {
  if (held_) return;
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  // Allocated blocks, not a sparse size: the room must really be taken from the disk.
  const bool taken = ::posix_fallocate(fd, 0, kReserveBytes) == 0;
  ::close(fd);
  if (taken)
    held_ = true;
  else
    ::unlink(file_.c_str());
}

}  // namespace dictaphone
