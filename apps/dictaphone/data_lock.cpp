#include "data_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace dictaphone {

namespace {
// Never written to: the lock is the flock, which the kernel drops when the process dies, so a
// crash leaves nothing stale behind.
constexpr const char* kLockFile = "dictaphone.lock";
}  // namespace

DataLock::DataLock(const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  const auto path = directory / kLockFile;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw std::runtime_error("another mrec dictaphone is already using " + directory.string() +
                               " (it holds " + path.string() + "); stop it or give another --data");
    throw std::runtime_error("cannot lock " + path.string() + ": " + std::strerror(error));
  }
}

DataLock::~DataLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace dictaphone
