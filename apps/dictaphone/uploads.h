// Clips a browser records with its own MediaRecorder and uploads Blob by Blob as it records:
// each chunk is appended in sequence and on disk (fsync) before it is acknowledged, so what
// the page was told is kept survives a crash of the server; an upload that goes quiet (the
// tab closed, the network gone) is finished as it stands and marked interrupted.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "clip_store.h"
#include "disk_reserve.h"

namespace dictaphone {

/// Largest chunk a PUT may carry (a one-second Blob is a few KiB; a minute of PCM is 11 MiB).
constexpr size_t kMaxUploadChunkBytes = 8 * 1024 * 1024;

/// What a chunk did: appended now, or already there (a retry of the last one).
struct ChunkAnswer {
  bool appended = false;
  UploadProgress progress;
};

/// An upload's chunk refused out of order: the sequence number expected instead.
struct OutOfSequence : std::runtime_error {
  explicit OutOfSequence(uint64_t expected)
      : std::runtime_error("the next chunk is " + std::to_string(expected)), expected(expected) {}
  uint64_t expected;
};

class Uploads {
 public:
  /// Takes up the uploads `store` kept open across a restart, each given `timeout` from now
  /// for its page to continue; a thread finishes every upload quiet for `timeout`.
  Uploads(ClipStore& store, DiskReserve& reserve, std::chrono::milliseconds timeout);
  ~Uploads();
  Uploads(const Uploads&) = delete;
  Uploads& operator=(const Uploads&) = delete;

  /// Whether a browser's MediaRecorder type can be taken (WebM, Ogg or MP4, which the
  /// finisher repairs or reads): MediaRecorder's own types, with or without codecs.
  static bool acceptsType(const std::string& mimeType);
  /// How long an upload may go quiet (a page paused says it is alive more often than this).
  std::chrono::milliseconds timeout() const { return timeout_; }
  /// A new upload: a clip marked as recording and an empty file. StudioError 400 for a type
  /// acceptsType() refuses, 507 when the file cannot be made.
  Clip create(const std::string& mimeType, const std::string& name);
  /// Appends chunk `sequence` of upload `id`, fsync'd before it returns. The last chunk again
  /// with the same length is answered without appending; any other sequence throws
  /// OutOfSequence. StudioError 404 for no open upload, 507 "disk-full" when the disk is full
  /// (nothing of the chunk is kept).
  ChunkAnswer append(const std::string& id, uint64_t sequence, std::string_view bytes);
  /// The upload's progress, and a sign of life from its page (paused, no chunks coming).
  /// StudioError 404 for no open upload.
  UploadProgress touch(const std::string& id);
  /// Finishes the upload (makeSeekable where its container needs it, the duration read from
  /// the file) and names it `name` if given. A clip already finished is returned as it is (a
  /// retried finish); StudioError 404 for none, 422 "empty" (and the clip removed) when not
  /// one byte came. `message` says why the file could not be indexed, "" if it was.
  Clip finish(const std::string& id, const std::optional<std::string>& name,
              std::string* message = nullptr);

 private:
  struct Open {
    Clip clip;
    int fd = -1;
    UploadProgress progress;
    std::chrono::steady_clock::time_point lastHeard;
  };
  Open& openLocked(const std::string& id);
  Clip finishLocked(Open& upload, bool interrupted, std::string* message);
  void watch();

  ClipStore& store_;
  DiskReserve& reserve_;
  const std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, Open> open_;
  std::thread watcher_;  // last: it starts once everything above is ready
};

}  // namespace dictaphone
