// Replaces a file's contents with a new version written beside it, as `mrec fix` does, so
// that the file stays the user's: its mode and owner, a symbolic link to it, and its other
// hard links all still lead to the new contents. Until commit() the original is untouched.
#pragma once

#include <filesystem>
#include <fstream>

namespace mrec::detail {

class FileReplacement {
 public:
  /// A new, empty temporary file beside the file `target` resolves to. Throws
  /// DOMException("NotAllowedError") naming the reason when it cannot be made.
  explicit FileReplacement(const std::filesystem::path& target);
  /// Removes the temporary file unless commit() has taken it.
  ~FileReplacement();
  FileReplacement(const FileReplacement&) = delete;
  FileReplacement& operator=(const FileReplacement&) = delete;

  /// Where the new contents go.
  std::ofstream& out() { return out_; }
  const std::filesystem::path& temporaryPath() const { return temp_; }

  /// Closes the new contents and puts them in the target's place: by rename() with the
  /// target's mode and owner, or, when the target has other hard links, by copying them over
  /// it. Throws DOMException("NotAllowedError") naming the reason (ENOSPC, EACCES, …); the
  /// target is then as it was, except after a failed copy, whose message names the temporary
  /// file that is kept with the whole new contents.
  void commit();

 private:
  std::filesystem::path target_;  ///< symbolic links resolved
  std::filesystem::path temp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace mrec::detail
