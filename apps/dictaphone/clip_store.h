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
  bool recording = false;  ///< still being written (or cut off by a crash, until recovered)
  /// Ended without a stop: cut off by a crash, or an upload whose page went away.
  bool interrupted = false;
  std::string extension() const;  ///< of its container: "ogg", "webm"
};

/// How far a browser's upload has come (the chunks appended, in order, each fsync'd).
struct UploadProgress {
  uint64_t nextSequence = 0;  ///< the chunk expected next
  uint64_t bytes = 0;         ///< of the file, all acknowledged
  uint64_t lastLength = 0;    ///< of the last chunk appended (a retry of it is recognised)
};

class ClipStore {
 public:
  /// Opens (creating, or migrating) `directory`/clips.sqlite3. Recovers clips whose recording
  /// was cut off (they become finished clips of what was written, marked interrupted) and
  /// sweeps audio files without a row and rows without a file. An upload still open is kept
  /// open, its file cut back to what was acknowledged (see openUploads()). Throws
  /// std::runtime_error when the folder or database fails.
  explicit ClipStore(std::filesystem::path directory);
  ~ClipStore();
  ClipStore(const ClipStore&) = delete;
  ClipStore& operator=(const ClipStore&) = delete;

  /// A new clip being recorded; its file is pathOf(clip), not yet created.
  Clip create(const std::string& name, const std::string& mimeType);
  /// A new clip uploaded by a browser, at sequence 0; its file is pathOf(clip), not created.
  Clip createUpload(const std::string& name, const std::string& mimeType);
  /// Records a chunk appended to an upload (after its bytes are on disk).
  void setUploadProgress(const std::string& id, const UploadProgress& progress);
  /// Uploads not yet finished, with their progress: what a restart must keep taking.
  std::vector<std::pair<Clip, UploadProgress>> openUploads();
  /// Oldest first.
  std::vector<Clip> list();
  std::optional<Clip> find(const std::string& id);
  void setDuration(const std::string& id, double seconds);
  void finish(const std::string& id, double seconds, bool interrupted = false);
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
  Clip insert(const std::string& name, const std::string& mimeType, bool upload);
  void execute(const char* sql);
  void migrate();
  void recoverAndSweep();

  const std::filesystem::path directory_;
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  int recovered_ = 0;
  int swept_ = 0;
};

}  // namespace dictaphone
