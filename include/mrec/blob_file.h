// A recording's file, written a Blob at a time as `dataavailable` hands them over
// (extension). Every program that keeps recordings on disk needs the same care, so it lives
// here once: the file only ever holds whole Blobs, and every prefix of a recording's Blobs is
// a playable file, so a write that fails part way (a full disk) is cut back off and what is
// left still plays.
//
//   mrec::BlobFile file("clip.webm");
//   recorder.ondataavailable = [&](const mrec::BlobEvent& e) {
//     if (!file.append(e.data)) recorder.stopWithError(
//         mrec::DOMException("UnknownError", "cannot write clip.webm: " + file.error()));
//   };
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "mrec/blob.h"

namespace mrec {

class BlobFile {
 public:
  /// What becomes of a file this made when no Blob with bytes ever reached it.
  enum class IfEmpty { Remove, Keep };
  /// Opens `path` for writing, creating it if need be. An existing file is left as it was
  /// until the first Blob with bytes empties it, so a recording that fails before that
  /// loses nothing; one this made is removed again on close unless `ifEmpty` keeps it.
  /// Throws DOMException "NotAllowedError" naming the system's reason if the file cannot
  /// be opened.
  explicit BlobFile(const std::filesystem::path& path, IfEmpty ifEmpty = IfEmpty::Remove);
  /// Writes to `fd` (stdout, a pipe), which stays open and is not owned: nothing can be cut
  /// back there, so after a failed write the stream may end in part of a Blob.
  static BlobFile toDescriptor(int fd);
  /// Closes the file (see IfEmpty).
  ~BlobFile();
  BlobFile(BlobFile&& other) noexcept;
  BlobFile& operator=(BlobFile&&) = delete;
  BlobFile(const BlobFile&) = delete;
  BlobFile& operator=(const BlobFile&) = delete;

  /// Appends `blob` whole, straight from its storage (a file-backed Blob is not loaded).
  /// Returns false if it could not: the file is cut back to the Blobs before it, error() and
  /// errorCode() say why, and every later append() is refused.
  bool append(const Blob& blob);
  /// Makes what append() wrote durable (fsync); false, with error(), if the system could not.
  bool sync();
  /// Closes the file now (the destructor would).
  void close();

  bool ok() const { return error_.empty(); }
  /// The system's reason for the first failure ("No space left on device"); empty if none.
  const std::string& error() const { return error_; }
  /// Its errno (ENOSPC for a full disk); 0 if none.
  int errorCode() const { return errorCode_; }
  /// Bytes of whole Blobs written.
  uint64_t bytes() const { return bytes_; }

 private:
  BlobFile() = default;
  void fail(int code);

  std::filesystem::path path_;
  int fd_ = -1;
  bool owned_ = false;    ///< this opened fd_ and closes it
  bool created_ = false;  ///< the file did not exist before
  IfEmpty ifEmpty_ = IfEmpty::Remove;
  bool started_ = false;  ///< the first Blob has emptied it
  std::string error_;
  int errorCode_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace mrec
