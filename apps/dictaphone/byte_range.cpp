#include "byte_range.h"

#include <algorithm>

namespace dictaphone {

RangeAnswer answerRanges(const std::vector<std::pair<ssize_t, ssize_t>>& ranges, uint64_t size) {
  // Several ranges get the whole file, with 200, as RFC 9110 §14.2 allows (a server may
  // ignore Range). Players and download managers ask for one range at a time; several are
  // what amplification attacks send (a thousand overlapping ranges made a multipart answer
  // of 60 MB from a file of 8 kB; Apache's CVE-2011-3192), and Apache past MaxRanges and Go's
  // net/http past the file's size answer the same way. The whole file is never more than
  // the file.
  if (ranges.size() != 1) return {};
  const auto [first, last] = ranges[0];
  if (first < 0 && last < 0) return {};  // "bytes=-": no range at all, so ignored
  // A zero-length file has no byte to send: nothing can satisfy a range of it.
  if (size == 0) return {RangeAnswer::Unsatisfiable};
  if (first < 0) {  // the last `last` bytes
    if (last == 0) return {RangeAnswer::Unsatisfiable};
    const uint64_t length = std::min<uint64_t>(uint64_t(last), size);
    return {RangeAnswer::Partial, size - length, length};
  }
  if (uint64_t(first) >= size) return {RangeAnswer::Unsatisfiable};
  const uint64_t end = last < 0 ? size - 1 : std::min<uint64_t>(uint64_t(last), size - 1);
  return {RangeAnswer::Partial, uint64_t(first), end - uint64_t(first) + 1};
}

}  // namespace dictaphone
