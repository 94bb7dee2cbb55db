// Small files the Dictaphone keeps secrets in (its TLS key, its password's hash).
#pragma once

#include <sys/types.h>
#include <filesystem>
#include <string>

namespace dictaphone {

/// Replaces `path` with `contents` as one step: written to a temporary file created with
/// `mode` (never wider, whatever the umask left), fsync'd, then renamed over it, so that a
/// crash leaves the old file or the new one. Throws std::runtime_error if it cannot.
void writeFileAtomically(const std::filesystem::path& path, const std::string& contents,
                         mode_t mode);

/// The whole of `path`; throws std::runtime_error if it cannot be read.
std::string readWholeFile(const std::filesystem::path& path);

}  // namespace dictaphone
