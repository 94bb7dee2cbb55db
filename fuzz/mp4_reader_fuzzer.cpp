// makeSeekable's MP4 reader on any bytes, then makeSeekable itself on the same bytes as a
// file. Beyond not crashing: every sample the reader finds lies inside the input;
// makeSeekable either throws a DOMException and leaves the file byte for byte as it was, or
// leaves a regular MP4 (no fragments left), or the input as it was when it is not a fragmented
// MP4 (an Ogg page, a regular MP4), which a second makeSeekable does not change.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "containers/mp4_reader.h"
#include "mrec/errors.h"
#include "mrec/seekable.h"
#include "scratch_file.h"

using mrec::fuzz::readFile;
using mrec::fuzz::writeFile;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  {
    std::istringstream in(input);
    if (!mrec::detail::mp4::looksLikeMp4(in)) return 0;  // the WebM fuzzer's ground
  }
  std::string error;
  std::istringstream in(input);
  if (const auto layout = mrec::detail::mp4::readLayout(in, size, error)) {
    if (layout->fragmentsEnd > size || layout->moovOffset + layout->moovSize > size) std::abort();
    // Every sample lies in the file: each chunk's samples follow one another from its offset.
    for (const auto& track : layout->tracks) {
      const auto& table = track.track.samples;
      size_t next = 0;
      for (const auto& chunk : table.chunks()) {
        uint64_t end = chunk.offset;
        for (uint32_t i = 0; i < chunk.samples; ++i) end += table.sizes().at(next++);
        if (end > size) std::abort();
      }
      if (next != table.size()) std::abort();
    }
  }

  static const auto path = mrec::fuzz::scratchFile("mp4", "mp4");
  writeFile(path, input);
  try {
    mrec::makeSeekable(path);
  } catch (const mrec::DOMException&) {
    if (readFile(path) != input) std::abort();  // a failure leaves the file untouched
    return 0;
  }
  const std::string fixed = readFile(path);
  std::istringstream finished(fixed);
  if (const auto layout = mrec::detail::mp4::readLayout(finished, fixed.size(), error)) {
    if (layout->hasFragments) std::abort();
  } else if (fixed != input) {
    std::abort();  // makeSeekable wrote a file it cannot read back
  }
  mrec::makeSeekable(path);
  if (readFile(path) != fixed) std::abort();  // a finished file is left alone
  return 0;
}
