// Seekable files (extension). Browsers write WebM with no Duration and no Cues, so players
// cannot show the length or seek; mrec's own live-written files start out the same way.
#pragma once

#include <filesystem>

namespace mrec {

/// WebM/Matroska: writes the Segment's Duration and appends Cues (a cue point per video key
/// frame that starts a cluster; for audio, every block being a random access point, at most
/// one a second) indexed by a SeekHead. mrec's own files are completed in place, in the room
/// their writer left; other writers' files (Chrome's and Firefox's MediaRecorder) and files
/// cut off mid-write are rewritten through a temporary file, dropping a partial last element
/// and skipping damage to the next cluster. A size that runs past the end of the file reads to
/// the end. The rewritten file is read back and replaces the input only if it holds every
/// cluster the input did; it keeps the input's mode, owner, hard links and symbolic links.
/// MP4: see the README ("Seekable WebM and MP4").
/// A file that already has Duration and Cues, and Ogg (already seekable), are left
/// unchanged. A file it cannot parse, or that holds no media: DOMException "EncodingError",
/// the file untouched; one it cannot open or write: "NotReadableError" / "NotAllowedError",
/// naming the system's reason (a full disk, say).
void makeSeekable(const std::filesystem::path& file);

}  // namespace mrec
