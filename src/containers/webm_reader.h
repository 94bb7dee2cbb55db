// Reads the layout of a WebM/Matroska file, for makeSeekable: the Segment and its top-level
// elements, the clusters that get a cue point, and when the media ends. Block payloads are
// skipped, not read, so a long file costs a scan of its headers only; clusters are handed to
// a visitor rather than kept, so memory does not grow with their number (a two-hour file cut
// every 20 ms has 360,000).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace mrec::detail {

namespace webm_id {
constexpr uint32_t kEbml = 0x1A45DFA3, kSegment = 0x18538067, kSeekHead = 0x114D9B74,
                   kInfo = 0x1549A966, kTracks = 0x1654AE6B, kCluster = 0x1F43B675,
                   kCues = 0x1C53BB6B, kVoid = 0xEC, kDuration = 0x4489, kTimecodeScale = 0x2AD7B1;
}  // namespace webm_id

struct EbmlElement {
  uint32_t id = 0;
  uint64_t offset = 0;      ///< of its ID, from the start of the file
  uint64_t headerSize = 0;  ///< ID and size field
  uint64_t dataSize = 0;    ///< measured when the size was unknown
  bool unknownSize = false;
  uint64_t dataOffset() const { return offset + headerSize; }
  uint64_t end() const { return offset + headerSize + dataSize; }
};

/// What a cue needs of a Cluster: where it is and when its first key frame of the cue track is.
struct WebmCuePoint {
  uint64_t clusterOffset = 0;  ///< of the Cluster's ID, from the start of the file
  int64_t time = 0;            ///< in TimecodeScale units
};

struct WebmLayout {
  EbmlElement header;                 ///< the EBML header
  EbmlElement segment;                ///< dataSize measured to the last complete element if unknown
  std::vector<EbmlElement> children;  ///< the Segment's top-level elements but its Clusters
  std::vector<EbmlElement> infoChildren;
  /// The clusters that get a cue point, in order: each one that starts with a key frame of
  /// a video cue track; for an audio one (every block a random access point), at most one a
  /// second.
  std::vector<WebmCuePoint> cuePoints;
  uint64_t clusterCount = 0;
  /// Every cluster whose size was unknown (or ran past the end) has an 8-byte size field, as
  /// mrec's live writer leaves them, so its measured size can be written in place.
  bool clusterSizesFitInPlace = true;
  uint64_t timecodeScale = 1000000;  ///< ns per timecode unit
  uint64_t cueTrack = 0;             ///< the video track if there is one, else the first
  bool cueTrackIsVideo = false;
  double duration = 0;  ///< in TimecodeScale units: where the last media ends
  bool hasDuration = false;
  bool hasCues = false;
  bool truncated = false;     ///< damage, or bytes after the last whole element (a cut-off write)
  uint64_t skippedBytes = 0;  ///< damage before a later Cluster, left out of `children`
  /// Room mrec's writer left: a Void as the Segment's first child, and one inside Info.
  std::optional<EbmlElement> seekHeadRoom, durationRoom;
  uint64_t segmentSizeLength = 0;  ///< bytes of the Segment's size field
};

/// Called with each of the Segment's top-level elements in file order, Clusters included
/// (measured: a Cluster's unknownSize says its size field did not hold dataSize).
using WebmElementVisitor = std::function<void(const EbmlElement&)>;

/// The file's layout, or nullopt and `error` set when `in` is not a Segment this reader can
/// follow, or holds no Cluster. The same file read again visits the same elements.
std::optional<WebmLayout> readWebmLayout(std::istream& in, uint64_t fileSize, std::string& error,
                                         const WebmElementVisitor& visit = {});

}  // namespace mrec::detail
