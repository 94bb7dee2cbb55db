#include "clip_store.h"

#include <mrec/formats.h>
#include <sqlite3.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include "clip_finisher.h"

namespace dictaphone {

namespace {

// Statements are short-lived: prepared, bound, stepped, finalized.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("clip store: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& text) {
    sqlite3_bind_text(statement_, index, text.c_str(), int(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int index, int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
    return *this;
  }
  Statement& bind(int index, double value) {
    sqlite3_bind_double(statement_, index, value);
    return *this;
  }
  /// True while there is a row.
  bool step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("clip store: ") + sqlite3_errmsg(db_));
  }
  std::string text(int column) const {
    const auto* value = sqlite3_column_text(statement_, column);
    return value ? reinterpret_cast<const char*>(value) : "";
  }
  int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }
  double real(int column) const { return sqlite3_column_double(statement_, column); }
  bool isNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

constexpr const char* kColumns =
    "id, name, mime, created_ms, duration_s, recording, interrupted, upload_next, upload_bytes, "
    "upload_last";

Clip readClip(const Statement& row) {
  return {row.text(0), row.text(1),         row.text(2),        row.integer(3),
          row.real(4), row.integer(5) != 0, row.integer(6) != 0};
}

bool isOpenUpload(const Statement& row) {
  return row.integer(5) != 0 && !row.isNull(7);
}

UploadProgress readProgress(const Statement& row) {
  return {uint64_t(row.integer(7)), uint64_t(row.integer(8)), uint64_t(row.integer(9))};
}

std::string newId() {
  static std::mutex mutex;
  static std::random_device device;
  static std::mt19937_64 random(device());
  std::lock_guard lock(mutex);
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(random()));
  return text;
}

// Whether a file with this extension (".webm") is a recording mrec could have written.
bool isRecordingExtension(const std::string& extension) {
  for (const auto& container : mrec::recordableContainers())
    if (extension == "." + container.extension) return true;
  return false;
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string Clip::extension() const {
  const auto container = mrec::containerForType(mimeType);
  // Every stored type was recordable when stored; an unknown one is kept under a name the
  // sweep below does not remove.
  return container ? container->extension : "clip";
}

ClipStore::ClipStore(std::filesystem::path directory) : directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
  if (sqlite3_open((directory_ / "clips.sqlite3").c_str(), &db_) != SQLITE_OK) {
    const std::string error = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("clip store: " + error);
  }
  sqlite3_busy_timeout(db_, 2000);
  execute("PRAGMA journal_mode=WAL");
  // FULL: a commit is on disk when it returns, so an upload's progress, written before its
  // chunk is acknowledged, survives a power cut (NORMAL may lose the last commits then).
  execute("PRAGMA synchronous=FULL");
  execute(
      "CREATE TABLE IF NOT EXISTS clips (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
      "mime TEXT NOT NULL, created_ms INTEGER NOT NULL, duration_s REAL NOT NULL DEFAULT 0, "
      "recording INTEGER NOT NULL DEFAULT 1)");
  migrate();
  recoverAndSweep();
}

ClipStore::~ClipStore() {
  sqlite3_close(db_);
}

void ClipStore::execute(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "failed";
    sqlite3_free(error);
    throw std::runtime_error("clip store: " + message);
  }
}

// Schema versions (PRAGMA user_version): 0 the first table; 1 adds `interrupted` and an
// upload's progress (upload_next is NULL for a clip the server recorded).
void ClipStore::migrate() {
  int64_t version = 0;
  {
    Statement query(db_, "PRAGMA user_version");
    if (query.step()) version = query.integer(0);
  }
  if (version < 1) {
    execute("BEGIN");
    execute("ALTER TABLE clips ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0");
    execute("ALTER TABLE clips ADD COLUMN upload_next INTEGER");
    execute("ALTER TABLE clips ADD COLUMN upload_bytes INTEGER NOT NULL DEFAULT 0");
    execute("ALTER TABLE clips ADD COLUMN upload_last INTEGER NOT NULL DEFAULT 0");
    execute("PRAGMA user_version = 1");
    execute("COMMIT");
  }
}

void ClipStore::recoverAndSweep() {
  std::set<std::string> files;
  std::map<std::string, UploadProgress> uploads;
  for (auto& [clip, progress] : openUploads()) uploads[clip.id] = progress;
  for (const auto& clip : list()) {
    const auto path = pathOf(clip);
    std::error_code ec;
    if (const auto upload = uploads.find(clip.id); upload != uploads.end()) {
      // Bytes past the last acknowledged chunk were never acknowledged: the page sends
      // that chunk again. The upload stays open for its page to continue (uploads.h).
      if (std::filesystem::exists(path, ec) &&
          std::filesystem::file_size(path, ec) > upload->second.bytes)
        std::filesystem::resize_file(path, upload->second.bytes, ec);
    }
    if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) {
      remove(clip.id);  // nothing was written: nothing to keep
      continue;
    }
    files.insert(path.filename().string());
    if (clip.recording && !uploads.count(clip.id)) {
      // Every Blob went to disk as it arrived and each ends on a page/cluster boundary, so
      // what is there plays; it is finished as a stop finishes it, so that a WebM or MP4
      // gets its index (and players its length) and the duration is the file's.
      finish(clip.id, finishClipFile(path, clip.mimeType, clip.durationSeconds).seconds,
             /*interrupted=*/true);
      ++recovered_;
    }
  }
  for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
    const auto extension = entry.path().extension();
    if (isRecordingExtension(extension.string()) &&
        !files.count(entry.path().filename().string())) {
      std::filesystem::remove(entry.path());
      ++swept_;
    }
  }
}

Clip ClipStore::create(const std::string& name, const std::string& mimeType) {
  return insert(name, mimeType, /*upload=*/false);
}

Clip ClipStore::createUpload(const std::string& name, const std::string& mimeType) {
  return insert(name, mimeType, /*upload=*/true);
}

Clip ClipStore::insert(const std::string& name, const std::string& mimeType, bool upload) {
  Clip clip{newId(), name, mimeType, nowMs(), 0, true};
  std::lock_guard lock(mutex_);
  // An upload's next chunk number starts at 0; a recording has none (NULL).
  Statement(db_, upload ? "INSERT INTO clips (id, name, mime, created_ms, upload_next) "
                          "VALUES (?, ?, ?, ?, 0)"
                        : "INSERT INTO clips (id, name, mime, created_ms) VALUES (?, ?, ?, ?)")
      .bind(1, clip.id)
      .bind(2, clip.name)
      .bind(3, clip.mimeType)
      .bind(4, clip.createdMs)
      .step();
  return clip;
}

void ClipStore::setUploadProgress(const std::string& id, const UploadProgress& progress) {
  std::lock_guard lock(mutex_);
  Statement(db_, "UPDATE clips SET upload_next = ?, upload_bytes = ?, upload_last = ? WHERE id = ?")
      .bind(1, int64_t(progress.nextSequence))
      .bind(2, int64_t(progress.bytes))
      .bind(3, int64_t(progress.lastLength))
      .bind(4, id)
      .step();
}

std::vector<std::pair<Clip, UploadProgress>> ClipStore::openUploads() {
  std::lock_guard lock(mutex_);
  Statement select(
      db_, (std::string("SELECT ") + kColumns + " FROM clips ORDER BY created_ms, rowid").c_str());
  std::vector<std::pair<Clip, UploadProgress>> uploads;
  while (select.step())
    if (isOpenUpload(select)) uploads.emplace_back(readClip(select), readProgress(select));
  return uploads;
}

std::vector<Clip> ClipStore::list() {
  std::lock_guard lock(mutex_);
  Statement select(
      db_, (std::string("SELECT ") + kColumns + " FROM clips ORDER BY created_ms, rowid").c_str());
  std::vector<Clip> clips;
  while (select.step()) clips.push_back(readClip(select));
  return clips;
}

std::optional<Clip> ClipStore::find(const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement select(db_, (std::string("SELECT ") + kColumns + " FROM clips WHERE id = ?").c_str());
  select.bind(1, id);
  if (!select.step()) return std::nullopt;
  return readClip(select);
}

void ClipStore::setDuration(const std::string& id, double seconds) {
  std::lock_guard lock(mutex_);
  Statement(db_, "UPDATE clips SET duration_s = ? WHERE id = ?")
      .bind(1, seconds)
      .bind(2, id)
      .step();
}

void ClipStore::finish(const std::string& id, double seconds, bool interrupted) {
  std::lock_guard lock(mutex_);
  Statement(db_, "UPDATE clips SET duration_s = ?, recording = 0, interrupted = ? WHERE id = ?")
      .bind(1, seconds)
      .bind(2, int64_t(interrupted))
      .bind(3, id)
      .step();
}

bool ClipStore::rename(const std::string& id, const std::string& name) {
  std::lock_guard lock(mutex_);
  Statement update(db_, "UPDATE clips SET name = ? WHERE id = ?");
  update.bind(1, name).bind(2, id).step();
  return update.changes() > 0;
}

bool ClipStore::remove(const std::string& id) {
  std::optional<Clip> clip = find(id);
  if (!clip) return false;
  std::lock_guard lock(mutex_);
  Statement(db_, "DELETE FROM clips WHERE id = ?").bind(1, id).step();
  std::error_code ec;
  std::filesystem::remove(pathOf(*clip), ec);
  return true;
}

std::filesystem::path ClipStore::pathOf(const Clip& clip) const {
  return directory_ / (clip.id + "." + clip.extension());
}

}  // namespace dictaphone
