// A finished clip's media duration, read from its file as players read it (ffprobe's
// format=duration): the Ogg's last granule position less the Opus pre-skip, the WebM's
// Segment Duration (written by makeSeekable), the MP4's movie header.
#pragma once

#include <filesystem>
#include <optional>

namespace dictaphone {

/// Seconds of media in the file (Ogg, WebM or MP4, told apart by their first bytes); nullopt
/// when the file does not say (a WebM not yet made seekable, a damaged file).
std::optional<double> mediaDuration(const std::filesystem::path& file);

}  // namespace dictaphone
