// One Dictaphone per data folder: an exclusive flock on a file in it, held for the life of
// the server. Start-up recovery assumes that no one else is recording into the folder; a
// second instance running it would finish or delete the first one's clip in progress.
#pragma once

#include <filesystem>

namespace dictaphone {

class DataLock {
 public:
  /// Creates `directory` if needed and locks it; throws std::runtime_error, having changed
  /// nothing in it, when another process holds the lock.
  explicit DataLock(const std::filesystem::path& directory);
  ~DataLock();
  DataLock(const DataLock&) = delete;
  DataLock& operator=(const DataLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace dictaphone
