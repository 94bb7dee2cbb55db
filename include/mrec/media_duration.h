// The media duration of a finished recording, read from its file as players read it
// (extension): the length it decodes to, so that a program that lists
// recordings does not count the wall time an input delivered nothing, nor parse containers
// itself.
#pragma once

#include <filesystem>
#include <optional>

namespace mrec {

/// Seconds of media in `file`, an Ogg Opus, WebM/Matroska or MP4 file told apart by its first
/// bytes: the Ogg's last whole page's granule position less the Opus pre-skip, the WebM's
/// Segment Duration (makeSeekable writes it), the MP4's movie header (edit lists applied;
/// the Opus pre-skip and AAC priming left out).
/// nullopt when the file does not say: a WebM or fragmented MP4 not yet made seekable, a
/// damaged or unknown file, one that cannot be read.
std::optional<double> mediaDuration(const std::filesystem::path& file);

}  // namespace mrec
