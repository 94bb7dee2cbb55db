// makeSeekable's WebM reader on any bytes, then makeSeekable itself on the same bytes as a
// file. Beyond not crashing: the reader's layout stays inside the input; makeSeekable either
// throws a DOMException and leaves the file byte for byte as it was, or leaves a file the
// reader follows, with a Duration and Cues, which a second makeSeekable does not change.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "containers/mp4_reader.h"
#include "containers/webm_reader.h"
#include "mrec/errors.h"
#include "mrec/seekable.h"
#include "scratch_file.h"

using mrec::fuzz::readFile;
using mrec::fuzz::writeFile;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  {
    std::istringstream in(input);
    if (mrec::detail::mp4::looksLikeMp4(in)) return 0;  // the MP4 fuzzer's ground
  }
  std::string error;
  std::istringstream in(input);
  const auto layout = mrec::detail::readWebmLayout(in, size, error);
  const bool parses = layout.has_value();
  if (layout) {
    if (layout->segment.offset > size) std::abort();
    for (const auto& child : layout->children)
      if (child.end() > size) std::abort();
    for (const auto& cue : layout->cuePoints)
      if (cue.clusterOffset >= size) std::abort();
  }

  static const auto path = mrec::fuzz::scratchFile("webm", "webm");
  writeFile(path, input);
  try {
    mrec::makeSeekable(path);
  } catch (const mrec::DOMException& e) {
    if (readFile(path) != input) std::abort();  // a failure leaves the file untouched
    if (parses && e.name() == "EncodingError") std::abort();
    return 0;
  }
  const std::string fixed = readFile(path);
  if (fixed.compare(0, 4, "OggS") == 0) return 0;
  std::istringstream finished(fixed);
  const auto after = mrec::detail::readWebmLayout(finished, fixed.size(), error);
  if (!after) std::abort();  // makeSeekable wrote a file it cannot read back
  if (!after->hasDuration || !after->hasCues) std::abort();
  mrec::makeSeekable(path);
  if (readFile(path) != fixed) std::abort();  // seekable files are left alone
  return 0;
}
