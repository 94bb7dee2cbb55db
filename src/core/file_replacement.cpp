#include "core/file_replacement.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "mrec/errors.h"

namespace mrec::detail {

namespace {

[[noreturn]] void fail(const std::string& what, int error) {
  throw DOMException("NotAllowedError", what + ": " + std::strerror(error));
}

// Copies `from` over `to` in place (same inode), then cuts `to` to the copied length.
void copyOver(const std::filesystem::path& from, const std::filesystem::path& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) fail("cannot read " + from.string(), errno);
  const int out = ::open(to.c_str(), O_WRONLY | O_CLOEXEC);
  if (out < 0) {
    const int error = errno;
    ::close(in);
    fail("cannot write " + to.string(), error);
  }
  std::vector<char> buffer(1 << 20);
  off_t length = 0;
  int error = 0;
  while (true) {
    const ssize_t got = ::read(in, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      if (got < 0) error = errno;
      break;
    }
    for (ssize_t done = 0; done < got && !error;) {
      const ssize_t put = ::pwrite(out, buffer.data() + done, size_t(got - done), length);
      if (put < 0 && errno == EINTR) continue;
      if (put < 0)
        error = errno;
      else
        done += put, length += put;
    }
    if (error) break;
  }
  if (!error && (::ftruncate(out, length) != 0 || ::fsync(out) != 0)) error = errno;
  ::close(in);
  ::close(out);
  if (error)
    fail("cannot copy the fixed file over " + to.string() + " (the fixed file is kept as " +
             from.string() + ")",
         error);
}

}  // namespace

FileReplacement::FileReplacement(const std::filesystem::path& target) {
  std::error_code ec;
  target_ = std::filesystem::canonical(target, ec);
  if (ec) fail("cannot resolve " + target.string(), ec.value());
  temp_ = target_.parent_path() / ("." + target_.filename().string() + ".mrec-new");
  // Exclusive and private until it holds the whole result.
  int fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST && ::unlink(temp_.c_str()) == 0)  // left by a crash
    fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) fail("cannot write beside " + target_.string() + " (" + temp_.string() + ")", errno);
  ::close(fd);
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) fail("cannot write " + temp_.string(), errno);
}

FileReplacement::~FileReplacement() {
  if (committed_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(temp_, ignored);
}

void FileReplacement::commit() {
  errno = 0;
  out_.flush();
  if (!out_) fail("cannot write " + temp_.string(), errno ? errno : EIO);
  out_.close();
  if (!out_) fail("cannot write " + temp_.string(), errno ? errno : EIO);

  struct stat original {};
  if (::stat(target_.c_str(), &original) != 0) fail("cannot read " + target_.string(), errno);
  if (original.st_nlink > 1) {
    committed_ = true;  // on failure the copy is the only whole one: keep it
    copyOver(temp_, target_);
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
    return;
  }
  const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot read " + temp_.string(), errno);
  // The owner can be kept only by root or when it is already ours; the mode always.
  if (::fchown(fd, original.st_uid, original.st_gid) != 0)
    (void)!::fchown(fd, uid_t(-1), original.st_gid);
  const bool ok = ::fchmod(fd, original.st_mode & 07777) == 0 && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) fail("cannot write " + temp_.string(), error);
  if (::rename(temp_.c_str(), target_.c_str()) != 0)
    fail("cannot replace " + target_.string(), errno);
  committed_ = true;
}

}  // namespace mrec::detail
