// The Dictaphone's clips: metadata in SQLite (WAL), audio files beside it in one folder.
// Ids are made here; nothing a client sends ever becomes part of a path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace dictaphone {

struct Clip {
  std::string id;  ///< 16 hex digits, made by the store
  std::string name;
  std::string mimeType;   ///< as the recorder reported it: "audio/ogg;codecs=opus", ...
  int64_t createdMs = 0;  ///< Unix time
  double durationSeconds = 0;
  bool recording = false;         ///< still being written (or cut off by a crash, until recovered)
  std::string extension() const;  ///< of its container: "ogg", "webm"
};

class ClipStore {
 public:
  /// Opens (creating) `directory`/clips.sqlite3. Recovers clips whose recording was cut off
  /// (they become finished clips of what was written) and sweeps audio files without a row
  /// and rows without a file. Throws std::runtime_error when the folder or database fails.
  explicit ClipStore(std::filesystem::path directory);
  ~ClipStore();
  ClipStore(const ClipStore&) = delete;
  ClipStore& operator=(const ClipStore&) = delete;

  /// A new clip being recorded; its file is pathOf(clip), not yet created.
  Clip create(const std::string& name, const std::string& mimeType);
  /// Oldest first.
  std::vector<Clip> list();
  std::optional<Clip> find(const std::string& id);
  void setDuration(const std::string& id, double seconds);
  void finish(const std::string& id, double seconds);
  /// False if there is no such clip.
  bool rename(const std::string& id, const std::string& name);
  /// Removes the row and the file; false if there is no such clip.
  bool remove(const std::string& id);
  std::filesystem::path pathOf(const Clip& clip) const;
  const std::filesystem::path& directory() const { return directory_; }

  /// What start-up did: clips recovered and files swept.
  int recoveredCount() const { return recovered_; }
  int sweptCount() const { return swept_; }

 private:
  void execute(const char* sql);
  void recoverAndSweep();

  const std::filesystem::path directory_;
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  int recovered_ = 0;
  int swept_ = 0;
};

}  // namespace dictaphone
