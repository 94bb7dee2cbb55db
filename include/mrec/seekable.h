// Seekable files (extension). Browsers write WebM with no Duration and no Cues, so players
// cannot show the length or seek; mrec's own live-written files start out the same way.
#pragma once

#include <filesystem>

namespace mrec {

/// WebM/Matroska: writes the Segment's Duration and appends Cues (a cue point per cluster)
/// indexed by a SeekHead. mrec's own files are completed in place, in the room their writer
/// left; other writers' files (Chrome's MediaRecorder) and files cut off mid-write are
/// rewritten through a temporary file and a rename, dropping a partial last element.
/// A file that already has Duration and Cues, and Ogg (already seekable), are left
/// unchanged. A file it cannot parse: DOMException "EncodingError", the file untouched;
/// one it cannot open or write: "NotReadableError" / "NotAllowedError".
void makeSeekable(const std::filesystem::path& file);

}  // namespace mrec
