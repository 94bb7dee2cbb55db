#include "containers/webm_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>

#include "core/format_table.h"

namespace mrec::detail {

namespace {

// Thrown inside this file only, where the elements nest; readWebmLayout returns it as a
// value.
struct WebmFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace id {
constexpr uint32_t kDocType = 0x4282, kTrackEntry = 0xAE, kTrackNumber = 0xD7, kTrackType = 0x83,
                   kCodecId = 0x86, kDefaultDuration = 0x23E383, kTimecode = 0xE7,
                   kSimpleBlock = 0xA3, kBlockGroup = 0xA0, kBlock = 0xA1, kBlockDuration = 0x9B,
                   kReferenceBlock = 0xFB, kDiscardPadding = 0x75A2, kCodecDelay = 0x56AA,
                   kTags = 0x1254C367, kChapters = 0x1043A770, kAttachments = 0x1941A469,
                   kAudio = 0xE1, kSamplingFrequency = 0xB5, kChannels = 0x9F, kBitDepth = 0x6264;
}  // namespace id

constexpr uint64_t kVideoTrackType = 1, kAudioTrackType = 2;
constexpr uint8_t kClusterId[4] = {0x1F, 0x43, 0xB6, 0x75};

bool isTopLevel(uint32_t elementId) {
  switch (elementId) {
    case webm_id::kSeekHead:
    case webm_id::kInfo:
    case webm_id::kTracks:
    case webm_id::kCluster:
    case webm_id::kCues:
    case id::kTags:
    case id::kChapters:
    case id::kAttachments:
    case webm_id::kSegment:
    case webm_id::kEbml:
      return true;
    default:
      return false;
  }
}

struct Track {
  uint64_t type = 0;
  std::string codec;
  uint64_t defaultDurationNs = 0;
  uint64_t codecDelayNs = 0;  ///< block times include it; the presentation does not
  double sampleRate = 8000;   ///< Matroska's default SamplingFrequency
  uint64_t channels = 1;
  uint64_t bitDepth = 0;
  std::optional<int64_t> lastTime;

  /// PCM's duration is in its payload: bytes / (channels × bytes per sample) / rate.
  bool isPcm() const { return codec.rfind("A_PCM/", 0) == 0 && bitDepth >= 8 && channels > 0; }
  uint64_t pcmNs(uint64_t payloadBytes) const {
    const uint64_t frames = payloadBytes / (channels * (bitDepth / 8));
    return static_cast<uint64_t>(double(frames) * 1e9 / sampleRate);
  }
};

/// Opus packet duration from its TOC byte (RFC 6716 §3.1), in nanoseconds.
uint64_t opusPacketNs(const uint8_t* packet, size_t size) {
  if (size == 0) return 0;
  const unsigned config = packet[0] >> 3;
  uint64_t frameNs;
  if (config < 12)
    frameNs = std::array<uint64_t, 4>{10000000, 20000000, 40000000, 60000000}[config % 4];
  else if (config < 16)
    frameNs = config % 2 == 0 ? 10000000 : 20000000;
  else
    frameNs = std::array<uint64_t, 4>{2500000, 5000000, 10000000, 20000000}[config % 4];
  const unsigned code = packet[0] & 3;
  const uint64_t frames = code == 0 ? 1 : code < 3 ? 2 : size > 1 ? (packet[1] & 0x3F) : 0;
  return frameNs * frames;
}

class Scanner {
 public:
  Scanner(std::istream& in, uint64_t fileSize) : in_(in), fileSize_(fileSize) {}

  /// Reads up to `n` bytes at `offset`; returns how many. Headers lie close together, so they
  /// are read through a window of the file: a seek of the stream per header cost a system
  /// call each, seconds for a long file.
  size_t read(uint64_t offset, uint8_t* out, size_t n) {
    if (offset >= fileSize_) return 0;
    n = static_cast<size_t>(std::min<uint64_t>(n, fileSize_ - offset));
    if (n > kWindow) return readDirect(offset, out, n);
    if (offset < windowOffset_ || offset + n > windowOffset_ + window_.size()) {
      window_.resize(kWindow);
      window_.resize(readDirect(offset, window_.data(), kWindow));
      windowOffset_ = offset;
    }
    const size_t got =
        static_cast<size_t>(std::min<uint64_t>(n, windowOffset_ + window_.size() - offset));
    std::memcpy(out, window_.data() + (offset - windowOffset_), got);
    return got;
  }

  /// The element whose header starts at `at`, if its header lies whole before `limit`.
  std::optional<EbmlElement> element(uint64_t at, uint64_t limit) {
    uint8_t bytes[12];
    const size_t got =
        read(at, bytes, std::min<uint64_t>(sizeof bytes, limit - std::min(limit, at)));
    if (got == 0) return std::nullopt;
    const int idLength = vintLength(bytes[0]);
    if (idLength == 0 || idLength > 4 || size_t(idLength) >= got) return std::nullopt;
    EbmlElement e;
    e.offset = at;
    for (int i = 0; i < idLength; ++i) e.id = e.id << 8 | bytes[i];
    const int sizeLength = vintLength(bytes[idLength]);
    if (sizeLength == 0 || size_t(idLength + sizeLength) > got) return std::nullopt;
    uint64_t size = bytes[idLength] & (0xFFu >> sizeLength);
    bool allOnes = size == (0xFFu >> sizeLength);
    for (int i = 1; i < sizeLength; ++i) {
      size = size << 8 | bytes[idLength + i];
      allOnes = allOnes && bytes[idLength + i] == 0xFF;
    }
    e.headerSize = uint64_t(idLength + sizeLength);
    e.unknownSize = allOnes;
    e.dataSize = allOnes ? 0 : size;
    return e;
  }

  uint64_t readUint(const EbmlElement& e) {
    uint8_t bytes[8] = {};
    if (e.dataSize > 8) throw WebmFormatError("an integer element longer than 8 bytes");
    const size_t got = read(e.dataOffset(), bytes, size_t(e.dataSize));
    uint64_t value = 0;
    for (size_t i = 0; i < got; ++i) value = value << 8 | bytes[i];
    return value;
  }

  double readFloat(const EbmlElement& e) {
    if (e.dataSize != 4 && e.dataSize != 8) return 0;
    const uint64_t bits = readUint(e);
    if (e.dataSize == 4) {
      float value;
      const auto narrow = static_cast<uint32_t>(bits);
      std::memcpy(&value, &narrow, 4);
      return value;
    }
    double value;
    std::memcpy(&value, &bits, 8);
    return value;
  }

  std::string readString(const EbmlElement& e) {
    std::string text(size_t(std::min<uint64_t>(e.dataSize, 256)), '\0');
    text.resize(read(e.dataOffset(), reinterpret_cast<uint8_t*>(text.data()), text.size()));
    return text.substr(0, text.find('\0'));
  }

  /// The children of a known-size element.
  std::vector<EbmlElement> children(const EbmlElement& parent) {
    std::vector<EbmlElement> result;
    for (uint64_t at = parent.dataOffset(); at < parent.end();) {
      const auto child = element(at, parent.end());
      if (!child || child->unknownSize || child->end() > parent.end())
        throw WebmFormatError("a damaged element inside a header element");
      result.push_back(*child);
      at = child->end();
    }
    return result;
  }

 private:
  // 128 KiB: with 16 KiB, the three scans of a one-hour rewrite made 14,000 reads and as
  // many seeks (strace); now 5,000 reads in all.
  static constexpr size_t kWindow = 128 * 1024;

  size_t readDirect(uint64_t offset, uint8_t* out, size_t n) {
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n));
    return static_cast<size_t>(in_.gcount());
  }

  static int vintLength(uint8_t first) {
    for (int length = 1; length <= 8; ++length)
      if (first & (0x80 >> (length - 1))) return length;
    return 0;
  }

  std::istream& in_;
  const uint64_t fileSize_;
  std::vector<uint8_t> window_;
  uint64_t windowOffset_ = 0;
};

struct WebmCluster {
  EbmlElement element;
  /// The first keyframe of the cue track in this cluster, in TimecodeScale units; none if
  /// the cluster has no keyframe of it (then it gets no cue point).
  std::optional<int64_t> cueTime;
};

class LayoutReader {
 public:
  LayoutReader(std::istream& in, uint64_t fileSize, const WebmElementVisitor& visit)
      : scan_(in, fileSize), fileSize_(fileSize), visit_(visit) {}

  WebmLayout read() {
    const auto header = scan_.element(0, fileSize_);
    if (!header || header->id != webm_id::kEbml || header->end() > fileSize_)
      throw WebmFormatError("not an EBML file");
    layout_.header = *header;
    std::string docType;
    for (const auto& child : scan_.children(*header))
      if (child.id == id::kDocType) docType = scan_.readString(child);
    if (!findContainerByDocType(docType))
      throw WebmFormatError("not WebM or Matroska (DocType \"" + docType + "\")");

    const auto segment = scan_.element(header->end(), fileSize_);
    if (!segment || segment->id != webm_id::kSegment) throw WebmFormatError("no Segment");
    layout_.segment = *segment;
    layout_.segmentSizeLength = segment->headerSize - 4;
    // A size that runs past the end of the file means "read to the end": the writer was cut
    // off before it could write what it had promised.
    const bool sizePastEnd = !segment->unknownSize && segment->end() > fileSize_;
    const uint64_t limit = segment->unknownSize || sizePastEnd ? fileSize_ : segment->end();
    readTopLevel(limit);
    if (sizePastEnd) layout_.truncated = true;
    if (layout_.clusterCount == 0) throw WebmFormatError("no media (no Cluster) to index");
    // A file whose Info or Tracks is lost (or lies after damage) cannot be played, so it
    // cannot be made seekable either (found by fuzzing).
    // Matroska allows exactly one of each; a second one is damage, not something to index.
    auto count = [&](uint32_t elementId) {
      return std::count_if(layout_.children.begin(), layout_.children.end(),
                           [&](const EbmlElement& child) { return child.id == elementId; });
    };
    if (count(webm_id::kInfo) != 1)
      throw WebmFormatError(count(webm_id::kInfo) ? "more than one Info element"
                                                  : "no readable Info element");
    if (count(webm_id::kTracks) != 1)
      throw WebmFormatError(count(webm_id::kTracks) ? "more than one Tracks element"
                                                    : "no readable Tracks element");
    return layout_;
  }

 private:
  void readTopLevel(uint64_t limit) {
    uint64_t at = layout_.segment.dataOffset();
    uint64_t end = at;  // of the last whole element
    while (at < limit) {
      auto e = scan_.element(at, limit);
      bool whole = e && (e->id == webm_id::kCluster || (!e->unknownSize && e->end() <= limit));
      if (whole && e->id == webm_id::kCluster) {
        WebmCluster cluster{*e, std::nullopt};
        whole = readCluster(cluster, limit);
        addCluster(cluster);
        at = end = cluster.element.end();
        if (whole) continue;
      }
      if (!whole) {
        // Damage, or the end of a cut-off write. Media after damage is kept: reading goes on
        // at the next cluster, and the damaged bytes are left out of the rewritten file.
        layout_.truncated = true;
        const auto next = nextCluster(at + 1, limit);
        if (!next) break;
        layout_.skippedBytes += *next - at;
        at = *next;
        continue;
      }
      if (e->id == webm_id::kVoid && layout_.children.empty()) layout_.seekHeadRoom = *e;
      if (e->id == webm_id::kInfo) readInfo(*e);
      if (e->id == webm_id::kTracks) readTracks(*e);
      if (e->id == webm_id::kCues) layout_.hasCues = true;
      layout_.children.push_back(*e);
      if (visit_) visit_(*e);
      at = end = e->end();
    }
    layout_.segment.dataSize = end - layout_.segment.dataOffset();
    layout_.segment.unknownSize = false;
  }

  void addCluster(const WebmCluster& cluster) {
    ++layout_.clusterCount;
    const EbmlElement& e = cluster.element;
    if (e.unknownSize && e.headerSize != 12) layout_.clusterSizesFitInPlace = false;
    if (cluster.cueTime) {
      const auto audioSpacing = static_cast<int64_t>(1'000'000'000 / layout_.timecodeScale);
      const auto& last = layout_.cuePoints;
      if (layout_.cueTrackIsVideo || last.empty() ||
          *cluster.cueTime - last.back().time >= audioSpacing)
        layout_.cuePoints.push_back({e.offset, *cluster.cueTime});
    }
    if (visit_) visit_(e);
  }

  /// The offset of the first Cluster at or after `from` whose header is whole and whose first
  /// child is its Timecode, as every writer puts it; none before `limit`.
  std::optional<uint64_t> nextCluster(uint64_t from, uint64_t limit) {
    std::vector<uint8_t> window(1 << 16);
    for (uint64_t at = from; at + 4 <= limit;) {
      const size_t got = scan_.read(at, window.data(), window.size());
      if (got < 4) return std::nullopt;
      for (size_t i = 0; i + 4 <= got; ++i) {
        if (std::memcmp(window.data() + i, kClusterId, 4) != 0) continue;
        const auto cluster = scan_.element(at + i, limit);
        if (!cluster || cluster->id != webm_id::kCluster) continue;
        const auto first = scan_.element(cluster->dataOffset(), limit);
        if (first && first->id == id::kTimecode && !first->unknownSize && first->dataSize <= 8)
          return at + i;
      }
      at += got - 3;  // an ID may straddle two windows
    }
    return std::nullopt;
  }

  void readInfo(const EbmlElement& info) {
    layout_.infoChildren = scan_.children(info);
    for (const auto& child : layout_.infoChildren) {
      if (child.id == webm_id::kTimecodeScale) layout_.timecodeScale = scan_.readUint(child);
      if (child.id == webm_id::kDuration) layout_.hasDuration = true;
      if (child.id == webm_id::kVoid && !layout_.durationRoom) layout_.durationRoom = child;
    }
    if (layout_.timecodeScale == 0) throw WebmFormatError("TimecodeScale is 0");
  }

  void readTracks(const EbmlElement& tracks) {
    for (const auto& entry : scan_.children(tracks)) {
      if (entry.id != id::kTrackEntry) continue;
      uint64_t number = 0;
      Track track;
      for (const auto& child : scan_.children(entry)) {
        if (child.id == id::kTrackNumber) number = scan_.readUint(child);
        if (child.id == id::kTrackType) track.type = scan_.readUint(child);
        if (child.id == id::kCodecId) track.codec = scan_.readString(child);
        if (child.id == id::kDefaultDuration) track.defaultDurationNs = scan_.readUint(child);
        if (child.id == id::kCodecDelay) track.codecDelayNs = scan_.readUint(child);
        if (child.id == id::kAudio) readAudio(child, track);
      }
      tracks_[number] = track;
      if (layout_.cueTrack == 0 ||
          (track.type == kVideoTrackType && tracks_[layout_.cueTrack].type != kVideoTrackType))
        layout_.cueTrack = number;
    }
    layout_.cueTrackIsVideo = tracks_[layout_.cueTrack].type == kVideoTrackType;
  }

  void readAudio(const EbmlElement& audio, Track& track) {
    for (const auto& child : scan_.children(audio)) {
      if (child.id == id::kSamplingFrequency) track.sampleRate = scan_.readFloat(child);
      if (child.id == id::kChannels) track.channels = scan_.readUint(child);
      if (child.id == id::kBitDepth) track.bitDepth = scan_.readUint(child);
    }
    if (!(track.sampleRate > 0)) track.sampleRate = 8000;
  }

  /// Measures the cluster (to its last complete child) and reads its blocks' times.
  /// Returns false if the file ends inside it. A cluster of known size that fits in the file
  /// is whole even if a block inside is damaged: the next element starts at its end (a
  /// fuzzed input once made the reader stop there and drop the Cues that followed).
  bool readCluster(WebmCluster& cluster, uint64_t limit) {
    EbmlElement& e = cluster.element;
    const bool unknown = e.unknownSize || e.end() > limit;
    const uint64_t end = unknown ? limit : e.end();
    int64_t clusterTime = 0;
    uint64_t at = e.dataOffset();
    bool complete = true, nextElementFound = false;
    while (at < end) {
      const auto child = scan_.element(at, end);
      if (!child) {
        complete = false;
        break;
      }
      if (unknown && isTopLevel(child->id)) {  // the next top-level element
        nextElementFound = true;
        break;
      }
      if (child->unknownSize || child->end() > end) {
        complete = false;
        break;
      }
      if (child->id == id::kTimecode) clusterTime = int64_t(scan_.readUint(*child));
      if (child->id == id::kSimpleBlock) readBlock(cluster, clusterTime, *child, true, {});
      if (child->id == id::kBlockGroup) readBlockGroup(cluster, clusterTime, *child);
      at = child->end();
    }
    if (!unknown) return true;  // damage inside a cluster of known size ends at its end
    // Declared longer than the file: whole if another element follows it, cut off otherwise.
    if (!e.unknownSize && !nextElementFound) complete = false;
    e.dataSize = at - e.dataOffset();
    e.unknownSize = true;  // as written; its measured size is dataSize
    return complete;
  }

  struct GroupExtras {
    std::optional<uint64_t> duration;  ///< BlockDuration, in TimecodeScale units
    int64_t discardPaddingNs = 0;
    bool referencesOthers = false;
  };

  void readBlockGroup(WebmCluster& cluster, int64_t clusterTime, const EbmlElement& group) {
    GroupExtras extras;
    std::optional<EbmlElement> block;
    for (const auto& child : scan_.children(group)) {
      if (child.id == id::kBlock) block = child;
      if (child.id == id::kBlockDuration) extras.duration = scan_.readUint(child);
      if (child.id == id::kReferenceBlock) extras.referencesOthers = true;
      if (child.id == id::kDiscardPadding) {
        uint64_t raw = scan_.readUint(child);
        const auto bits = unsigned(child.dataSize * 8);
        if (bits > 0 && bits < 64 && (raw >> (bits - 1)) & 1) raw |= ~uint64_t{0} << bits;
        extras.discardPaddingNs = static_cast<int64_t>(raw);
      }
    }
    if (block) readBlock(cluster, clusterTime, *block, !extras.referencesOthers, extras);
  }

  void readBlock(WebmCluster& cluster, int64_t clusterTime, const EbmlElement& block, bool keyframe,
                 const GroupExtras& extras) {
    uint8_t head[16];
    const size_t got =
        scan_.read(block.dataOffset(), head, size_t(std::min<uint64_t>(16, block.dataSize)));
    if (got < 4) return;
    int trackLength = 1;
    while (trackLength <= 8 && !(head[0] & (0x80 >> (trackLength - 1)))) ++trackLength;
    if (size_t(trackLength) + 3 > got) return;
    uint64_t trackNumber = head[0] & (0xFFu >> trackLength);
    for (int i = 1; i < trackLength; ++i) trackNumber = trackNumber << 8 | head[i];
    const auto relative =
        static_cast<int16_t>(uint16_t(head[trackLength]) << 8 | head[trackLength + 1]);
    const uint8_t flags = head[trackLength + 2];
    const int64_t time = clusterTime + relative;
    const bool laced = (flags & 0x06) != 0;
    Track& track = tracks_[trackNumber];
    // Every audio block is a random access point, flagged or not: Firefox flags none of them.
    const bool isKey = track.type == kAudioTrackType ||
                       (block.id == id::kSimpleBlock ? (flags & 0x80) != 0 : keyframe);

    const double scale = double(layout_.timecodeScale);
    double end = double(time);
    if (extras.duration) {
      end += double(*extras.duration);
    } else if (track.codec == "A_OPUS" && !laced) {
      const size_t payload = size_t(trackLength) + 3;
      end += double(opusPacketNs(head + payload, got - payload)) / scale;
    } else if (track.isPcm() && !laced) {
      end += double(track.pcmNs(block.dataSize - uint64_t(trackLength) - 3)) / scale;
    } else if (track.defaultDurationNs) {
      end += double(track.defaultDurationNs) / scale;
    } else if (track.lastTime) {
      end += double(time - *track.lastTime);  // as long as the gap before it
    }
    end -= double(extras.discardPaddingNs + int64_t(track.codecDelayNs)) / scale;
    track.lastTime = time;
    layout_.duration = std::max(layout_.duration, end);
    if (isKey && trackNumber == layout_.cueTrack && !cluster.cueTime) cluster.cueTime = time;
  }

  Scanner scan_;
  const uint64_t fileSize_;
  const WebmElementVisitor& visit_;
  WebmLayout layout_;
  std::map<uint64_t, Track> tracks_;
};

}  // namespace

std::optional<WebmLayout> readWebmLayout(std::istream& in, uint64_t fileSize, std::string& error,
                                         const WebmElementVisitor& visit) {
  try {
    return LayoutReader(in, fileSize, visit).read();
  } catch (const WebmFormatError& e) {
    error = e.what();
    return std::nullopt;
  }
}

}  // namespace mrec::detail
