// A small real filesystem that fills up: a tmpfs mounted for one test (mounting needs root;
// a test skips without it).
#pragma once

#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "support/media_tools.h"

namespace mrec::test {

/// A tmpfs of `size` (mount's notation, "1m") at `where`, unmounted at the end of the test.
class SmallDisk {
 public:
  explicit SmallDisk(const std::filesystem::path& where, const char* size = "1m") : where_(where) {
    std::filesystem::create_directories(where);
    mounted_ =
        mount("tmpfs", where.c_str(), "tmpfs", 0, ("size=" + std::string(size)).c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_) umount2(where_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  bool mounted() const { return mounted_; }
  /// Fills it with a file until `left` bytes are free.
  void fillUpTo(uint64_t left) {
    struct statvfs fs {};
    statvfs(where_.c_str(), &fs);
    const uint64_t free = uint64_t(fs.f_bavail) * fs.f_frsize;
    if (free > left) writeFile(where_ / "filler.bin", std::vector<uint8_t>(free - left, 0));
  }

 private:
  std::filesystem::path where_;
  bool mounted_ = false;
};

}  // namespace mrec::test
