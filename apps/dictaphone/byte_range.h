// Which bytes of a clip's file a GET with a Range header gets (RFC 9110 §14).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace dictaphone {

struct RangeAnswer {
  enum Kind { Whole, Partial, Unsatisfiable } kind = Whole;
  uint64_t first = 0;   ///< Partial: the first byte sent
  uint64_t length = 0;  ///< Partial: how many, at least 1
};

/// `ranges` as httplib parses a Range header: (first, last) pairs, -1 for a missing end
/// ("bytes=-500" is (-1, 500)); empty when there is none. `size` is the file's.
RangeAnswer answerRanges(const std::vector<std::pair<ssize_t, ssize_t>>& ranges, uint64_t size);

}  // namespace dictaphone
