#include "containers/mp4_reader.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mrec::detail::mp4 {

namespace {

// Thrown inside this file only, where the boxes nest; readLayout returns it as a value.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// moov and moof boxes are read whole; no writer makes them this large.
constexpr uint64_t kMaxIndexBoxBytes = 64u << 20;
constexpr uint32_t kNonSyncSample = 0x00010000;

struct BoxHeader {
  uint64_t offset = 0, size = 0, headerSize = 8;
  std::string type;
  uint64_t end() const { return offset + size; }
};

// Reads the box header at `offset`; nullopt if none fits before `limit`.
std::optional<BoxHeader> readHeader(std::istream& in, uint64_t offset, uint64_t limit) {
  if (limit < offset + 8) return std::nullopt;
  uint8_t bytes[16];
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(bytes), 8);
  if (in.gcount() != 8) return std::nullopt;
  BoxHeader box;
  box.offset = offset;
  box.type.assign(reinterpret_cast<const char*>(bytes) + 4, 4);
  box.size =
      uint64_t{bytes[0]} << 24 | uint64_t{bytes[1]} << 16 | uint64_t{bytes[2]} << 8 | bytes[3];
  if (box.size == 1) {
    in.read(reinterpret_cast<char*>(bytes) + 8, 8);
    if (in.gcount() != 8) return std::nullopt;
    box.size = 0;
    for (int i = 8; i < 16; ++i) box.size = box.size << 8 | bytes[i];
    box.headerSize = 16;
  } else if (box.size == 0) {
    box.size = limit - offset;  // to the end of the file
  }
  if (box.size < box.headerSize) return std::nullopt;
  return box;
}

std::vector<uint8_t> readBytes(std::istream& in, uint64_t offset, uint64_t size) {
  if (size > kMaxIndexBoxBytes) throw FormatError("a box of " + std::to_string(size) + " bytes");
  std::vector<uint8_t> bytes(size);
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size) throw FormatError("the file ends in a box");
  return bytes;
}

// A box read into memory, walked field by field; reading past its end is a FormatError.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t u8() { return need(1)[0]; }
  uint32_t u16() { return read(2); }
  uint32_t u24() { return read(3); }
  uint32_t u32() { return read(4); }
  uint64_t u64() { return uint64_t{read(4)} << 32 | read(4); }
  void skip(size_t n) { need(n); }
  size_t position() const { return pos_; }
  size_t left() const { return size_ - pos_; }
  const uint8_t* here() const { return data_ + pos_; }

  // The child boxes of the rest of this one: type and a reader over each one's body.
  template <typename Visit>
  void children(Visit&& visit) {
    while (left() >= 8) {
      const size_t start = pos_;
      uint64_t size = u32();
      const std::string type(reinterpret_cast<const char*>(need(4)), 4);
      size_t header = 8;
      if (size == 1) {
        size = u64();
        header = 16;
      } else if (size == 0) {
        size = size_ - start;
      }
      if (size < header || size > size_ - start) throw FormatError("box " + type + " overruns");
      Reader body(data_ + start + header, static_cast<size_t>(size - header));
      visit(type, body, data_ + start, static_cast<size_t>(size));
      pos_ = start + static_cast<size_t>(size);
    }
  }

 private:
  const uint8_t* need(size_t n) {
    if (n > left()) throw FormatError("a box ends early");
    const uint8_t* p = data_ + pos_;
    pos_ += n;
    return p;
  }
  uint32_t read(size_t n) {
    const uint8_t* p = need(n);
    uint32_t value = 0;
    for (size_t i = 0; i < n; ++i) value = value << 8 | p[i];
    return value;
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

struct TrackDefaults {
  uint32_t duration = 0, size = 0, flags = 0;
};

struct MovieState {
  std::vector<ReadTrack> tracks;
  std::map<uint32_t, size_t> byId;
  std::map<uint32_t, TrackDefaults> defaults;
  std::vector<uint64_t> nextDecodeTime;  // per track, where its last fragment ended
};

void readTrack(Reader& trak, MovieState& movie, bool& hasSampleTables) {
  ReadTrack read;
  Track& track = read.track;
  std::string handler;
  trak.children([&](const std::string& type, Reader& box, const uint8_t*, size_t) {
    if (type == "tkhd") {
      const uint8_t version = box.u8();
      box.u24();
      box.skip(version == 1 ? 16 : 8);
      track.id = box.u32();
      if (box.left() >= 8) {
        box.skip(box.left() - 8);
        track.width = box.u32() >> 16;
        track.height = box.u32() >> 16;
      }
    } else if (type == "edts") {
      box.children([&](const std::string& t, Reader& elst, const uint8_t*, size_t) {
        if (t != "elst") return;
        const uint8_t version = elst.u8();
        elst.u24();
        const uint32_t count = elst.u32();
        for (uint32_t i = 0; i < count; ++i) {
          elst.skip(version == 1 ? 8 : 4);
          const int64_t mediaTime =
              version == 1 ? static_cast<int64_t>(elst.u64()) : static_cast<int32_t>(elst.u32());
          elst.skip(4);
          if (mediaTime >= 0) {
            track.mediaStart = static_cast<uint64_t>(mediaTime);
            break;
          }
        }
      });
    } else if (type == "mdia") {
      box.children([&](const std::string& t, Reader& part, const uint8_t*, size_t) {
        if (t == "mdhd") {
          const uint8_t version = part.u8();
          part.u24();
          part.skip(version == 1 ? 16 : 8);
          track.timescale = part.u32();
        } else if (t == "hdlr") {
          part.skip(8);
          handler.assign(reinterpret_cast<const char*>(part.here()),
                         std::min<size_t>(4, part.left()));
        } else if (t == "minf") {
          part.children([&](const std::string& m, Reader& stblParent, const uint8_t*, size_t) {
            if (m != "stbl") return;
            stblParent.children([&](const std::string& s, Reader& table, const uint8_t*, size_t) {
              if (s == "stsd") {
                table.skip(8);  // version, flags, entry count
                table.children([&](const std::string&, Reader&, const uint8_t* whole, size_t size) {
                  if (track.sampleEntry.empty()) track.sampleEntry.assign(whole, whole + size);
                });
              } else if (s == "stsz" || s == "stz2") {
                table.skip(8);
                if (table.u32() > 0) hasSampleTables = true;
              }
            });
          });
        }
      });
    }
  });
  if (handler != "vide" && handler != "soun")
    throw FormatError("track " + std::to_string(track.id) + " is neither audio nor video");
  if (track.timescale == 0 || track.sampleEntry.empty())
    throw FormatError("track " + std::to_string(track.id) + " has no timescale or description");
  track.video = handler == "vide";
  if (!track.video) track.width = track.height = 0;
  if (movie.byId.count(track.id)) throw FormatError("two tracks have the same id");
  movie.byId[track.id] = movie.tracks.size();
  movie.tracks.push_back(std::move(read));
  movie.nextDecodeTime.push_back(0);
}

void readMovie(const std::vector<uint8_t>& moov, MovieState& movie, bool& hasSampleTables) {
  Reader reader(moov.data(), moov.size());
  reader.skip(8);
  reader.children([&](const std::string& type, Reader& box, const uint8_t*, size_t) {
    if (type == "trak") readTrack(box, movie, hasSampleTables);
    if (type != "mvex") return;
    box.children([&](const std::string& t, Reader& trex, const uint8_t*, size_t) {
      if (t != "trex") return;
      trex.skip(4);
      const uint32_t id = trex.u32();
      trex.skip(4);  // sample description index
      TrackDefaults& d = movie.defaults[id];
      d.duration = trex.u32();
      d.size = trex.u32();
      d.flags = trex.u32();
    });
  });
  if (movie.tracks.empty()) throw FormatError("the movie has no tracks");
}

// One sample as a fragment describes it, before it is known to lie inside the file.
struct FragmentSample {
  size_t track;
  Sample sample;
  uint64_t decodeTime;
  int32_t compositionOffset;
};

// The samples of one moof; `cut` when some lie past the end of the file (it was cut off).
std::vector<FragmentSample> readFragment(const std::vector<uint8_t>& moof, uint64_t moofOffset,
                                         uint64_t fileSize, MovieState& movie, bool& cut) {
  std::vector<FragmentSample> samples;
  cut = false;
  Reader reader(moof.data(), moof.size());
  reader.skip(8);
  uint64_t previousTrafEnd = moofOffset;
  bool firstTraf = true;
  reader.children([&](const std::string& type, Reader& traf, const uint8_t*, size_t) {
    if (type != "traf") return;
    std::optional<size_t> index;
    TrackDefaults defaults;
    uint64_t base = firstTraf ? moofOffset : previousTrafEnd;
    firstTraf = false;
    std::optional<uint64_t> dataPointer;
    traf.children([&](const std::string& t, Reader& box, const uint8_t*, size_t) {
      if (t == "tfhd") {
        box.u8();
        const uint32_t flags = box.u24();
        const uint32_t id = box.u32();
        const auto found = movie.byId.find(id);
        if (found == movie.byId.end()) throw FormatError("a fragment of no track");
        index = found->second;
        defaults = movie.defaults[id];
        if (flags & 0x000001) base = box.u64();
        if (flags & 0x000002) box.u32();
        if (flags & 0x000008) defaults.duration = box.u32();
        if (flags & 0x000010) defaults.size = box.u32();
        if (flags & 0x000020) defaults.flags = box.u32();
        if (!(flags & 0x000001) && (flags & 0x020000)) base = moofOffset;
      } else if (t == "tfdt" && index) {
        const uint8_t version = box.u8();
        box.u24();
        movie.nextDecodeTime[*index] = version == 1 ? box.u64() : box.u32();
      } else if (t == "trun" && index) {
        const uint8_t version = box.u8();
        const uint32_t flags = box.u24();
        const uint32_t count = box.u32();
        uint64_t offset = dataPointer.value_or(base);
        if (flags & 0x000001) offset = base + static_cast<int32_t>(box.u32());
        std::optional<uint32_t> firstFlags;
        if (flags & 0x000004) firstFlags = box.u32();
        for (uint32_t i = 0; i < count; ++i) {
          FragmentSample s{*index, {}, movie.nextDecodeTime[*index], 0};
          s.sample.duration = flags & 0x000100 ? box.u32() : defaults.duration;
          s.sample.size = flags & 0x000200 ? box.u32() : defaults.size;
          uint32_t sampleFlags = flags & 0x000400 ? box.u32() : defaults.flags;
          if (i == 0 && firstFlags) sampleFlags = *firstFlags;
          if (flags & 0x000800) {
            const uint32_t cto = box.u32();
            s.compositionOffset = version == 0
                                      ? static_cast<int32_t>(std::min<uint32_t>(cto, INT32_MAX))
                                      : static_cast<int32_t>(cto);
          }
          s.sample.sync = !(sampleFlags & kNonSyncSample);
          s.sample.offset = offset;
          // Every sample holds a byte at least and lies in the file: this bounds the count of
          // a trun that takes every field from the defaults.
          if (s.sample.size == 0) throw FormatError("an empty sample");
          if (offset >= fileSize || s.sample.size > fileSize - offset) {
            cut = true;
            return;
          }
          offset += s.sample.size;
          movie.nextDecodeTime[*index] += s.sample.duration;
          samples.push_back(s);
        }
        dataPointer = offset;
        previousTrafEnd = offset;
      }
    });
  });
  return samples;
}

Layout readOrThrow(std::istream& in, uint64_t fileSize);

}  // namespace

bool looksLikeMp4(std::istream& in) {
  char header[8] = {};
  in.clear();
  in.seekg(0);
  in.read(header, 8);
  if (in.gcount() != 8) return false;
  const std::string_view type(header + 4, 4);
  return type == "ftyp" || type == "styp" || type == "moov" || type == "free";
}

std::optional<Layout> readLayout(std::istream& in, uint64_t fileSize, std::string& error) {
  try {
    return readOrThrow(in, fileSize);
  } catch (const FormatError& e) {
    error = e.what();
    return std::nullopt;
  }
}

namespace {

Layout readOrThrow(std::istream& in, uint64_t fileSize) {
  Layout layout;
  MovieState movie;
  bool haveMovie = false;
  uint64_t offset = 0;
  std::vector<FragmentSample> pending;  // of the last moof, until its data is known to be here
  auto commit = [&] {
    for (const FragmentSample& s : pending) {
      ReadTrack& track = movie.tracks[s.track];
      SampleTable& samples = track.track.samples;
      const uint64_t gap = s.decodeTime - track.lastDecodeTime;
      if (samples.empty())
        track.firstDecodeTime = s.decodeTime;
      else if (s.decodeTime > track.lastDecodeTime && gap <= UINT32_MAX)
        samples.setLastDuration(static_cast<uint32_t>(gap));
      track.lastDecodeTime = s.decodeTime;
      samples.add(s.sample);
      std::vector<int32_t>& offsets = track.track.compositionOffsets;
      if (offsets.empty() && s.compositionOffset != 0) offsets.resize(samples.size() - 1, 0);
      if (!offsets.empty() || s.compositionOffset != 0) offsets.push_back(s.compositionOffset);
    }
    pending.clear();
  };
  while (offset < fileSize) {
    const auto box = readHeader(in, offset, fileSize);
    if (!box || box->end() > fileSize) {
      layout.truncated = true;
      break;
    }
    if (box->type == "moov") {
      if (haveMovie) break;  // a second movie: what follows is not fragments of the first
      readMovie(readBytes(in, box->offset, box->size), movie, layout.hasSampleTables);
      haveMovie = true;
      layout.moovOffset = box->offset;
      layout.moovSize = box->size;
    } else if (box->type == "moof") {
      if (!haveMovie) throw FormatError("a fragment before the movie");
      if (!pending.empty()) break;  // a moof whose data never came
      bool cut = false;
      pending =
          readFragment(readBytes(in, box->offset, box->size), box->offset, fileSize, movie, cut);
      if (cut) {
        pending.clear();
        layout.truncated = true;
        break;
      }
    } else if (box->type == "mdat" && !pending.empty()) {
      const bool inside = std::all_of(pending.begin(), pending.end(), [&](const auto& s) {
        return s.sample.offset >= box->offset + box->headerSize &&
               s.sample.offset + s.sample.size <= box->end();
      });
      if (!inside) throw FormatError("a fragment's samples lie outside its mdat");
      commit();
      layout.hasFragments = true;
      layout.fragmentsEnd = box->end();
    }
    // Any other box (ftyp, free, sidx, mfra) is kept if it lies before the last fragment's end
    // and dropped after it: the finished movie indexes the samples itself.
    offset = box->end();
  }
  if (!haveMovie) throw FormatError("no moov box");
  if (!pending.empty()) layout.truncated = true;  // a fragment whose data was cut off
  if (!layout.hasFragments) layout.fragmentsEnd = layout.moovOffset + layout.moovSize;
  layout.tracks = std::move(movie.tracks);
  return layout;
}

}  // namespace

}  // namespace mrec::detail::mp4
