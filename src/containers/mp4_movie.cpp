#include "containers/mp4_movie.h"

#include <algorithm>

#include "core/media_time.h"

namespace mrec::detail::mp4 {

namespace {

constexpr uint16_t kLanguageUndetermined = 0x55C4;  // "und", ISO 639-2/T packed in 15 bits
constexpr uint32_t kTrackEnabledInMovie = 0x000003;

uint64_t toMovieTime(uint64_t units, uint32_t timescale) {
  // Not rescaleToNearest: a damaged file's durations may be any 64-bit value.
  return rescaleFileCount(units, timescale, kMovieTimescale);
}

uint64_t trackEndMs(const Track& track) {
  return toMovieTime(track.startOffset + track.presentedDuration, track.timescale);
}

void writeMovieHeader(bmff::Writer& w, const Movie& movie) {
  uint64_t durationMs = 0;
  uint32_t lastId = 0;
  for (const Track& track : movie.tracks) {
    durationMs = std::max(durationMs, trackEndMs(track));
    lastId = std::max(lastId, track.id);
  }
  bmff::Box mvhd(w, "mvhd", 1, 0);
  w.u64(0);  // creation time
  w.u64(0);  // modification time
  w.u32(kMovieTimescale);
  w.u64(durationMs);
  w.u32(0x00010000);  // rate 1.0
  w.u16(0x0100);      // volume 1.0
  w.zeros(10);
  w.matrix();
  w.zeros(24);  // pre_defined
  w.u32(lastId + 1);
}

void writeTrackHeader(bmff::Writer& w, const Track& track) {
  bmff::Box tkhd(w, "tkhd", 1, kTrackEnabledInMovie);
  w.u64(0);
  w.u64(0);
  w.u32(track.id);
  w.u32(0);
  w.u64(trackEndMs(track));
  w.zeros(8);
  w.u16(0);  // layer
  w.u16(0);  // alternate group
  w.u16(track.video ? 0 : 0x0100);
  w.u16(0);
  w.matrix();
  w.u32(track.width << 16);
  w.u32(track.height << 16);
}

// Where the track's media sits on the movie's timeline: an empty edit for a late start, then
// the media from its first shown sample. While fragmented the length is unknown: 0.
void writeEdits(bmff::Writer& w, const Track& track, bool fragmented) {
  const bool trimmed = track.presentedDuration + track.mediaStart != track.mediaDuration;
  if (track.mediaStart == 0 && track.startOffset == 0 && (fragmented || !trimmed)) return;
  bmff::Box edts(w, "edts");
  bmff::Box elst(w, "elst", 1, 0);
  w.u32(track.startOffset > 0 ? 2 : 1);
  if (track.startOffset > 0) {
    w.u64(toMovieTime(track.startOffset, track.timescale));
    w.u64(UINT64_MAX);  // media_time -1: an empty edit
    w.u32(0x00010000);
  }
  w.u64(fragmented ? 0 : toMovieTime(track.presentedDuration, track.timescale));
  w.u64(track.mediaStart);
  w.u32(0x00010000);
}

void writeTimeToSample(bmff::Writer& w, const SampleTable& samples) {
  const auto runs = samples.durationRuns();
  bmff::Box stts(w, "stts", 0, 0);
  w.u32(static_cast<uint32_t>(runs.size()));
  for (const auto& [count, duration] : runs) {
    w.u32(count);
    w.u32(duration);
  }
}

void writeCompositionOffsets(bmff::Writer& w, const std::vector<int32_t>& offsets) {
  if (std::all_of(offsets.begin(), offsets.end(), [](int32_t o) { return o == 0; })) return;
  std::vector<std::pair<uint32_t, int32_t>> runs;
  for (const int32_t offset : offsets) {
    if (runs.empty() || runs.back().second != offset)
      runs.emplace_back(1, offset);
    else
      ++runs.back().first;
  }
  bmff::Box ctts(w, "ctts", 1, 0);  // version 1: offsets may be negative
  w.u32(static_cast<uint32_t>(runs.size()));
  for (const auto& [count, offset] : runs) {
    w.u32(count);
    w.u32(static_cast<uint32_t>(offset));
  }
}

void writeSyncSamples(bmff::Writer& w, const SampleTable& samples) {
  if (samples.allSync()) return;
  bmff::Box stss(w, "stss", 0, 0);
  w.u32(static_cast<uint32_t>(samples.syncSamples().size()));
  for (const uint32_t number : samples.syncSamples()) w.u32(number);
}

void writeSampleSizes(bmff::Writer& w, const SampleTable& samples) {
  bmff::Box stsz(w, "stsz", 0, 0);
  w.u32(0);  // sizes vary: one entry each
  w.u32(static_cast<uint32_t>(samples.size()));
  for (const uint32_t size : samples.sizes()) w.u32(size);
}

void writeChunks(bmff::Writer& w, const SampleTable& samples) {
  const auto& chunks = samples.chunks();
  {
    bmff::Box stsc(w, "stsc", 0, 0);
    std::vector<std::pair<uint32_t, uint32_t>> runs;  // first chunk (1-based), samples per chunk
    for (size_t i = 0; i < chunks.size(); ++i)
      if (runs.empty() || runs.back().second != chunks[i].samples)
        runs.emplace_back(static_cast<uint32_t>(i + 1), chunks[i].samples);
    w.u32(static_cast<uint32_t>(runs.size()));
    for (const auto& [first, count] : runs) {
      w.u32(first);
      w.u32(count);
      w.u32(1);  // sample description index
    }
  }
  const bool large = !chunks.empty() && chunks.back().offset > UINT32_MAX;
  bmff::Box chunkOffsets(w, large ? "co64" : "stco", 0, 0);
  w.u32(static_cast<uint32_t>(chunks.size()));
  for (const SampleTable::Chunk& chunk : chunks) {
    if (large)
      w.u64(chunk.offset);
    else
      w.u32(static_cast<uint32_t>(chunk.offset));
  }
}

void writeSampleTable(bmff::Writer& w, const Track& track) {
  bmff::Box stbl(w, "stbl");
  {
    bmff::Box stsd(w, "stsd", 0, 0);
    w.u32(1);
    w.bytes(track.sampleEntry);
  }
  writeTimeToSample(w, track.samples);
  writeCompositionOffsets(w, track.compositionOffsets);
  writeSyncSamples(w, track.samples);
  writeSampleSizes(w, track.samples);
  writeChunks(w, track.samples);
}

void writeMedia(bmff::Writer& w, const Track& track) {
  bmff::Box mdia(w, "mdia");
  {
    bmff::Box mdhd(w, "mdhd", 1, 0);
    w.u64(0);
    w.u64(0);
    w.u32(track.timescale);
    w.u64(track.mediaDuration);
    w.u16(kLanguageUndetermined);
    w.u16(0);
  }
  {
    bmff::Box hdlr(w, "hdlr", 0, 0);
    w.u32(0);
    w.fourcc(track.video ? "vide" : "soun");
    w.zeros(12);
    const char name[] = "mrec";
    w.bytes(reinterpret_cast<const uint8_t*>(name), sizeof name);  // with its NUL
  }
  bmff::Box minf(w, "minf");
  if (track.video) {
    bmff::Box vmhd(w, "vmhd", 0, 1);
    w.zeros(8);  // graphics mode and opcolor
  } else {
    bmff::Box smhd(w, "smhd", 0, 0);
    w.zeros(4);  // balance
  }
  {
    bmff::Box dinf(w, "dinf");
    bmff::Box dref(w, "dref", 0, 0);
    w.u32(1);
    bmff::Box url(w, "url ", 0, 1);  // the media is in this file
  }
  writeSampleTable(w, track);
}

}  // namespace

void writeFileType(bmff::Writer& w) {
  bmff::Box ftyp(w, "ftyp");
  w.fourcc("isom");
  w.u32(0x200);
  for (const char* brand : {"isom", "iso5", "iso6", "mp41"}) w.fourcc(brand);
}

void writeMovie(bmff::Writer& w, const Movie& movie) {
  bmff::Box moov(w, "moov");
  writeMovieHeader(w, movie);
  for (const Track& track : movie.tracks) {
    bmff::Box trak(w, "trak");
    writeTrackHeader(w, track);
    writeEdits(w, track, movie.fragmented);
    writeMedia(w, track);
  }
  if (!movie.fragmented) return;
  bmff::Box mvex(w, "mvex");
  for (const Track& track : movie.tracks) {
    bmff::Box trex(w, "trex", 0, 0);
    w.u32(track.id);
    w.u32(1);  // sample description index
    w.u32(0);  // default duration, size and flags: every trun gives its own
    w.u32(0);
    w.u32(0);
  }
}

}  // namespace mrec::detail::mp4
