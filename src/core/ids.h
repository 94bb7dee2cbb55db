// Identifiers for streams and tracks.
#pragma once

#include <string>

namespace mrec::detail {

/// A random RFC 4122 version-4 UUID string, as browsers use for MediaStream ids.
std::string makeUuid();

/// A random 64-bit value that is never 0 (Matroska TrackUID).
unsigned long long makeNonZeroRandom64();

}  // namespace mrec::detail
