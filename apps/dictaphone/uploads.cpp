#include "uploads.h"

#include <fcntl.h>
#include <mrec/formats.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <vector>

#include "clip_finisher.h"
#include "studio.h"  // StudioError: a refusal with its HTTP status

namespace dictaphone {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kWatchPeriod = std::chrono::milliseconds(200);

// The type as stored: the recorder's own spelling where mrec knows it, else its essence
// ("audio/mp4;codecs=mp4a.40.2" from Safari in a build without AAC is still an MP4).
std::optional<std::string> storedType(const std::string& mimeType) {
  if (mrec::containerForType(mimeType)) return mimeType;
  const std::string essence = mimeType.substr(0, mimeType.find(';'));
  if (mrec::containerForType(essence)) return essence;
  return std::nullopt;
}

// Writes all of `bytes` at `offset`; false (errno set) if the disk took less.
bool writeAt(int fd, std::string_view bytes, uint64_t offset) {
  while (!bytes.empty()) {
    const ssize_t n = pwrite(fd, bytes.data(), bytes.size(), off_t(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = ENOSPC;
      return false;
    }
    bytes.remove_prefix(size_t(n));
    offset += uint64_t(n);
  }
  return true;
}

void syncDirectory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Uploads::Uploads(ClipStore& store, DiskReserve& reserve, std::chrono::milliseconds timeout)
    : store_(store), reserve_(reserve), timeout_(timeout) {
  for (auto& [clip, progress] : store_.openUploads()) {
    const int fd = ::open(store_.pathOf(clip).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) continue;  // finished neither way: the next start-up sweeps or recovers it
    open_[clip.id] = Open{clip, fd, progress, Clock::now()};
  }
  watcher_ = std::thread([this] { watch(); });
}

Uploads::~Uploads() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  watcher_.join();
  // Open uploads stay open in the store: the next start takes them up where they are.
  for (auto& [id, upload] : open_) ::close(upload.fd);
}

bool Uploads::acceptsType(const std::string& mimeType) {
  return storedType(mimeType).has_value();
}

Clip Uploads::create(const std::string& mimeType, const std::string& name) {
  const auto type = storedType(mimeType);
  if (!type)
    throw StudioError(
        400, "bad-type",
        "an upload is WebM, Ogg or MP4 (as MediaRecorder makes them), not \"" + mimeType + "\"");
  reserve_.restore();  // given back when a recording last filled the disk
  std::lock_guard lock(mutex_);
  const Clip clip = store_.createUpload(name, *type);
  const auto path = store_.pathOf(clip);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int error = errno;
    store_.remove(clip.id);
    throw StudioError(507, "cannot-write",
                      "cannot write " + path.string() + ": " + std::strerror(error));
  }
  syncDirectory(store_.directory());  // the file's name outlives a power cut, too
  open_[clip.id] = Open{clip, fd, {}, Clock::now()};
  return clip;
}

Uploads::Open& Uploads::openLocked(const std::string& id) {
  const auto found = open_.find(id);
  if (found == open_.end())
    throw StudioError(404, "no-upload", "no upload " + id + " is open (finished, or never made)");
  return found->second;
}

ChunkAnswer Uploads::append(const std::string& id, uint64_t sequence, std::string_view bytes) {
  std::lock_guard lock(mutex_);
  Open& upload = openLocked(id);
  upload.lastHeard = Clock::now();
  UploadProgress& progress = upload.progress;
  // A retry of the chunk acknowledged last (its answer was lost): acknowledged again.
  if (progress.nextSequence > 0 && sequence == progress.nextSequence - 1 &&
      bytes.size() == progress.lastLength)
    return {false, progress};
  if (sequence != progress.nextSequence) throw OutOfSequence(progress.nextSequence);

  const UploadProgress next{sequence + 1, progress.bytes + bytes.size(), bytes.size()};
  std::string failure;
  int error = 0;
  if (!writeAt(upload.fd, bytes, progress.bytes) || ::fsync(upload.fd) != 0) {
    error = errno;
    failure = std::strerror(error);
  } else {
    try {
      store_.setUploadProgress(id, next);  // committed with synchronous=FULL
    } catch (const std::runtime_error& e) {
      error = ENOSPC;  // SQLite fails this way when its WAL cannot grow
      failure = e.what();
    }
  }
  if (!failure.empty()) {
    // Nothing of this chunk stays: the file ends where the last acknowledged chunk ended.
    if (::ftruncate(upload.fd, off_t(progress.bytes)) == 0) ::fsync(upload.fd);
    if (error == ENOSPC || error == EDQUOT) {
      reserve_.release();  // room for the database to finish and name the clip
      throw StudioError(507, "disk-full",
                        "no space left on device: chunk " + std::to_string(sequence) +
                            " was not kept; the clip keeps the chunks before it");
    }
    throw StudioError(500, "cannot-write", "cannot write the clip: " + failure);
  }
  progress = next;
  return {true, progress};
}

UploadProgress Uploads::touch(const std::string& id) {
  std::lock_guard lock(mutex_);
  Open& upload = openLocked(id);
  upload.lastHeard = Clock::now();
  return upload.progress;
}

Clip Uploads::finish(const std::string& id, const std::optional<std::string>& name,
                     std::string* message) {
  std::lock_guard lock(mutex_);
  if (!open_.count(id)) {
    const auto clip = store_.find(id);
    if (!clip || clip->recording) throw StudioError(404, "no-upload", "no upload " + id);
    if (name) store_.rename(id, *name);  // a finish retried after its answer was lost
    return *store_.find(id);
  }
  Open& upload = open_.at(id);
  if (upload.progress.bytes == 0) {
    ::close(upload.fd);
    store_.remove(id);
    open_.erase(id);
    throw StudioError(422, "empty", "the upload received no audio: there is no clip to keep");
  }
  const Clip clip = finishLocked(upload, /*interrupted=*/false, message);
  if (name) store_.rename(clip.id, *name);
  const auto finished = store_.find(clip.id);
  return finished ? *finished : clip;
}

Clip Uploads::finishLocked(Open& upload, bool interrupted, std::string* message) {
  const Clip clip = upload.clip;
  ::close(upload.fd);
  open_.erase(clip.id);  // `upload` is gone from here on
  const FinishedFile finished = finishClipFile(store_.pathOf(clip), clip.mimeType, 0);
  store_.finish(clip.id, finished.seconds, interrupted);
  if (message) *message = finished.error;
  return clip;
}

void Uploads::watch() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kWatchPeriod, [this] { return stopping_; })) {
    const auto now = Clock::now();
    std::vector<std::string> quiet;
    for (const auto& [id, upload] : open_)
      if (now - upload.lastHeard >= timeout_) quiet.push_back(id);
    for (const auto& id : quiet) {
      try {
        if (open_.at(id).progress.bytes == 0) {
          ::close(open_.at(id).fd);
          open_.erase(id);
          store_.remove(id);  // nothing came: nothing to keep
        } else {
          finishLocked(open_.at(id), /*interrupted=*/true, nullptr);
        }
      } catch (const std::exception& e) {
        // The row stays open in the store: the next start-up tries again.
        std::cerr << "mrec dictaphone: cannot finish upload " << id << ": " << e.what() << "\n";
        open_.erase(id);
      }
    }
  }
}

}  // namespace dictaphone
