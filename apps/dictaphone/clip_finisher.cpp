#include "clip_finisher.h"

#include <mrec/errors.h>
#include <mrec/formats.h>
#include <mrec/media_duration.h>
#include <mrec/seekable.h>

namespace dictaphone {

FinishedFile finishClipFile(const std::filesystem::path& file, const std::string& mimeType,
                            double fallbackSeconds) {
  FinishedFile finished;
  if (const auto container = mrec::containerForType(mimeType);
      container && container->finishedByMakeSeekable) {
    try {
      mrec::makeSeekable(file);  // a known duration, and seeking
    } catch (const mrec::DOMException& e) {
      finished.error = "the clip cannot be indexed: " + e.message();
    }
  }
  // The media's own length: the wall clock also counts time the input delivered nothing.
  finished.seconds = mrec::mediaDuration(file).value_or(fallbackSeconds);
  return finished;
}

}  // namespace dictaphone
