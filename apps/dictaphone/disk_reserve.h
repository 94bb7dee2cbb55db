// Room kept on the data folder's disk for the database: when a recording fills the disk,
// the reserve is given back so that the clip can still be finished and named (SQLite needs
// room in its WAL for every write, even one that changes a single field).
#pragma once

#include <atomic>
#include <filesystem>

namespace dictaphone {

class DiskReserve {
 public:
  /// Takes the room in `file` (best effort: a disk already full has none to give).
  explicit DiskReserve(std::filesystem::path file);
  /// Gives the room back; safe from any thread, any number of times.
  void release();
  /// Takes the room again if it was given back, as far as the disk allows.
  void restore();

 private:
  const std::filesystem::path file_;
  std::atomic<bool> held_{false};
};

}  // namespace dictaphone
