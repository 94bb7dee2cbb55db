// An MP4 movie's description and its moov box, as written both at the start of a fragmented
// recording (no samples, an mvex) and by makeSeekable when it finishes one (every sample
// indexed). Times are in each track's own timescale unless a name says otherwise.
#pragma once

#include <cstdint>
#include <vector>

#include "containers/bmff_writer.h"

namespace mrec::detail::mp4 {

/// The movie timescale: mvhd and tkhd durations, and edit-list segment durations, count ms.
constexpr uint32_t kMovieTimescale = 1000;

struct Sample {
  uint64_t offset = 0;  ///< of its bytes in the file
  uint32_t size = 0;
  uint32_t duration = 0;
  bool sync = true;
};

struct Track {
  uint32_t id = 1;
  bool video = false;
  uint32_t timescale = 48000;
  uint32_t width = 0, height = 0;    ///< video only
  std::vector<uint8_t> sampleEntry;  ///< the whole sample entry box ("Opus", "vp09", ...)
  uint64_t mediaStart = 0;           ///< media time of the first sample shown (a pre-skip)
  uint64_t startOffset = 0;          ///< time before the first sample (an empty edit)
  uint64_t mediaDuration = 0;        ///< every sample's duration added up; 0 while fragmented
  uint64_t presentedDuration = 0;    ///< what plays after the pre-skip and the padding
  std::vector<Sample> samples;       ///< empty while fragmented
  std::vector<int32_t> compositionOffsets;  ///< per sample, or empty when all are 0
};

struct Movie {
  std::vector<Track> tracks;
  bool fragmented = true;  ///< an mvex follows the tracks; the sample tables are empty
};

/// ftyp: ISO BMFF with movie fragments whose data offsets count from their moof.
void writeFileType(bmff::Writer& w);
void writeMovie(bmff::Writer& w, const Movie& movie);

}  // namespace mrec::detail::mp4
