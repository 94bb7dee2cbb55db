#include "private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dictaphone {

void writeFileAtomically(const std::filesystem::path& path, const std::string& contents,
                         mode_t mode) {
  const std::filesystem::path temporary = path.string() + ".new";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0)
    throw std::runtime_error("cannot write " + temporary.string() + ": " + std::strerror(errno));
  size_t written = 0;
  bool ok = ::fchmod(fd, mode) == 0;  // the file may have been there, wider, from a crash
  while (ok && written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += size_t(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) {
    std::filesystem::remove(temporary);
    throw std::runtime_error("cannot write " + temporary.string() + ": " + std::strerror(error));
  }
  std::filesystem::rename(temporary, path);
}

std::string readWholeFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace dictaphone
