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

/// Every sample of a finished track, kept as the sample table's boxes keep them: a size each,
/// and the durations, sync samples and chunks in runs. An hour of Opus is 180000 samples, so
/// a Sample each (24 bytes, and twice that while the vector grows) would be most of
/// makeSeekable's memory; this is 4 bytes a sample.
class SampleTable {
 public:
  struct DurationRun {
    uint32_t count, duration;
  };
  /// A run of samples that lie one after another in the file.
  struct Chunk {
    uint64_t offset;
    uint32_t samples;
  };

  void add(const Sample& sample);
  /// The last sample lasts `duration` after all (until the next one's decode time).
  void setLastDuration(uint32_t duration);

  size_t size() const { return sizes_.size(); }
  bool empty() const { return sizes_.empty(); }
  const std::vector<uint32_t>& sizes() const { return sizes_; }
  /// In decode order, the last sample's included.
  std::vector<DurationRun> durationRuns() const;
  uint64_t totalDuration() const { return totalDuration_; }
  bool allSync() const { return allSync_; }
  /// The 1-based numbers of the sync samples; empty while allSync().
  const std::vector<uint32_t>& syncSamples() const { return syncSamples_; }
  const std::vector<Chunk>& chunks() const { return chunks_; }
  /// About what the sample table's boxes take, to size a buffer for them once.
  size_t indexBytes() const;

 private:
  std::vector<uint32_t> sizes_;
  std::vector<DurationRun> durationRuns_;  ///< of every sample but the last
  uint32_t lastDuration_ = 0;
  uint64_t totalDuration_ = 0;
  bool allSync_ = true;
  std::vector<uint32_t> syncSamples_;
  std::vector<Chunk> chunks_;
  uint64_t chunkEnd_ = 0;  ///< where the last chunk's bytes end
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
  SampleTable samples;               ///< empty while fragmented
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
