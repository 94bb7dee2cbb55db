// Reads a fragmented MP4 for makeSeekable: its movie (each track's id, timescale, handler,
// sample entry and edit), and every sample of its whole fragments with where its bytes are.
// Sample data is never read, only box headers and the moof boxes, so a long file costs a
// scan of its headers. Any writer's fragments: trex and tfhd defaults, data offsets from the
// moof or from an explicit base, several truns, composition offsets.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "containers/mp4_movie.h"

namespace mrec::detail::mp4 {

struct ReadTrack {
  /// Samples in decode order, each lasting until the next one is decoded (across fragment
  /// boundaries too), the last as written; compositionOffsets empty while all are 0. No list
  /// of decode times is kept: an hour of Opus is 180000 samples, each byte per sample is
  /// 180 kB of makeSeekable's peak memory.
  Track track;
  uint64_t firstDecodeTime = 0;
  uint64_t lastDecodeTime = 0;  ///< of the last sample
};

struct Layout {
  uint64_t moovOffset = 0, moovSize = 0;  ///< the movie box the file starts with
  std::vector<ReadTrack> tracks;
  bool hasFragments = false;     ///< at least one whole moof with its mdat
  uint64_t fragmentsEnd = 0;     ///< where the last whole fragment ends
  bool truncated = false;        ///< something after fragmentsEnd was cut off or unreadable
  bool hasSampleTables = false;  ///< the moov already indexes samples (a regular MP4)
};

/// Whether the file starts like an ISO BMFF file (an ftyp, styp, moov or free box).
bool looksLikeMp4(std::istream& in);
/// The file's layout, or nullopt and `error` set when it is not an MP4 this reader can follow.
std::optional<Layout> readLayout(std::istream& in, uint64_t fileSize, std::string& error);

}  // namespace mrec::detail::mp4
