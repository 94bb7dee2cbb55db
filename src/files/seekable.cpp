// makeSeekable: Duration, Cues and a SeekHead for WebM/Matroska, in place where mrec's writer
// left room, otherwise by rewriting through a temporary file.
#include "mrec/seekable.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "containers/ebml_writer.h"
#include "containers/mp4_reader.h"
#include "containers/webm_reader.h"
#include "core/file_replacement.h"
#include "files/mp4_finisher.h"
#include "mrec/errors.h"

namespace mrec {

namespace {

using detail::EbmlElement;
using detail::WebmLayout;
namespace ebml = detail::ebml;
namespace webm_id = detail::webm_id;

constexpr uint32_t kCuePoint = 0xBB, kCueTime = 0xB3, kCueTrackPositions = 0xB7, kCueTrack = 0xF7,
                   kCueClusterPosition = 0xF1, kSeek = 0x4DBB, kSeekId = 0x53AB,
                   kSeekPosition = 0x53AC;
constexpr size_t kSeekHeadRoom = 96;  // as mrec's writer reserves
constexpr size_t kDurationBytes = 11;

std::vector<uint8_t> idBytes(uint32_t id) {
  std::vector<uint8_t> out;
  ebml::putId(out, id);
  return out;
}

/// A SeekHead for `entries` (element id, position from the Segment's data), padded with a
/// Void to exactly `room` bytes.
std::vector<uint8_t> seekHead(const std::vector<std::pair<uint32_t, uint64_t>>& entries,
                              size_t room) {
  std::vector<uint8_t> body;
  for (const auto& [elementId, position] : entries) {
    std::vector<uint8_t> seek;
    const auto id = idBytes(elementId);
    ebml::putBinary(seek, kSeekId, id.data(), id.size());
    ebml::putUint(seek, kSeekPosition, position);
    ebml::putMaster(body, kSeek, seek);
  }
  std::vector<uint8_t> out;
  ebml::putMaster(out, webm_id::kSeekHead, body);
  if (out.size() + 2 > room && out.size() != room)
    throw DOMException("EncodingError", "no room for the SeekHead");
  if (out.size() < room) ebml::putVoid(out, room - out.size());
  return out;
}

/// The layout's cue points, at `clusterPositions` (from the Segment's data) in the file.
std::vector<uint8_t> cues(const WebmLayout& layout, const std::vector<uint64_t>& clusterPositions) {
  std::vector<uint8_t> body;
  for (size_t i = 0; i < layout.cuePoints.size(); ++i) {
    std::vector<uint8_t> positions, point;
    ebml::putUint(positions, kCueTrack, layout.cueTrack);
    ebml::putUint(positions, kCueClusterPosition, clusterPositions.at(i));
    ebml::putUint(point, kCueTime,
                  static_cast<uint64_t>(std::max<int64_t>(0, layout.cuePoints[i].time)));
    ebml::putMaster(point, kCueTrackPositions, positions);
    ebml::putMaster(body, kCuePoint, point);
  }
  std::vector<uint8_t> out;
  ebml::putMaster(out, webm_id::kCues, body);
  return out;
}

std::vector<uint8_t> durationElement(const WebmLayout& layout) {
  std::vector<uint8_t> out;
  ebml::putFloat(out, webm_id::kDuration, layout.duration);
  return out;
}

void writeAt(std::fstream& file, uint64_t offset, const std::vector<uint8_t>& bytes) {
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

bool fitsInPlace(const WebmLayout& layout) {
  if (layout.truncated || layout.hasCues || layout.hasDuration) return false;
  if (layout.segmentSizeLength != 8 || !layout.seekHeadRoom || !layout.durationRoom) return false;
  const uint64_t seekRoom = layout.seekHeadRoom->headerSize + layout.seekHeadRoom->dataSize;
  const uint64_t durationRoom = layout.durationRoom->headerSize + layout.durationRoom->dataSize;
  if (!layout.clusterSizesFitInPlace) return false;
  return seekRoom == kSeekHeadRoom &&
         (durationRoom == kDurationBytes || durationRoom >= kDurationBytes + 2);
}

uint64_t positionOf(const WebmLayout& layout, uint32_t elementId) {
  for (const auto& child : layout.children)
    if (child.id == elementId) return child.offset - layout.segment.dataOffset();
  return UINT64_MAX;
}

void completeInPlace(const std::filesystem::path& path, const WebmLayout& layout,
                     uint64_t fileSize) {
  const uint64_t base = layout.segment.dataOffset();
  std::vector<uint64_t> clusterPositions;
  for (const auto& cue : layout.cuePoints) clusterPositions.push_back(cue.clusterOffset - base);
  const auto cueBytes = cues(layout, clusterPositions);
  const uint64_t cuesPosition = fileSize - base;

  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!file) throw DOMException("NotAllowedError", "cannot write " + path.string());
  // Cues first: until the header points at them, the file is what it was, plus an index.
  // If even they do not fit (a full disk, a file size limit), the file goes back as it was.
  writeAt(file, fileSize, cueBytes);
  file.flush();
  if (!file) {
    const std::string reason = std::strerror(errno);
    file.close();
    std::error_code ignored;
    std::filesystem::resize_file(path, fileSize, ignored);
    throw DOMException("NotAllowedError", "cannot write " + path.string() + ": " + reason);
  }
  auto duration = durationElement(layout);
  const uint64_t durationRoom = layout.durationRoom->headerSize + layout.durationRoom->dataSize;
  if (durationRoom > duration.size())
    ebml::putVoid(duration, size_t(durationRoom - duration.size()));
  writeAt(file, layout.durationRoom->offset, duration);
  std::vector<std::pair<uint32_t, uint64_t>> entries{
      {webm_id::kInfo, positionOf(layout, webm_id::kInfo)},
      {webm_id::kTracks, positionOf(layout, webm_id::kTracks)},
      {webm_id::kCues, cuesPosition}};
  writeAt(file, layout.seekHeadRoom->offset, seekHead(entries, kSeekHeadRoom));
  // Live clusters have 8-byte unknown sizes: they become known, for strict readers. A second
  // read of the file (to its old end) visits them, rather than a list of all of them.
  std::ifstream again(path, std::ios::binary);
  std::string error;
  const bool readAgain =
      detail::readWebmLayout(again, fileSize, error, [&](const EbmlElement& element) {
        if (element.id != webm_id::kCluster || !element.unknownSize) return;
        std::vector<uint8_t> clusterSize;
        ebml::putSize8(clusterSize, element.dataSize);
        writeAt(file, element.offset + 4, clusterSize);
      }).has_value();
  if (!readAgain)
    throw DOMException("NotReadableError", path.string() + " changed while it was read");
  std::vector<uint8_t> size;
  ebml::putSize8(size, cuesPosition + cueBytes.size());
  writeAt(file, layout.segment.offset + 4, size);
  file.flush();
  if (!file) throw DOMException("NotAllowedError", "cannot write " + path.string());
}

/// Copies ranges of `in` to `out` through one buffer, allocated once and left uninitialised:
/// a 1 MiB buffer zeroed for each cluster cost a third of the time of a one-hour rewrite
/// and a MiB of resident memory. Ranges come in file order, so the input is seeked only
/// when a range does not start where the last one ended.
class RangeCopier {
 public:
  explicit RangeCopier(std::istream& in) : in_(in), buffer_(new char[kBufferSize]) {}

  void copy(std::ostream& out, uint64_t offset, uint64_t size) {
    seek(offset);
    while (size > 0) {
      const auto n = static_cast<std::streamsize>(std::min<uint64_t>(size, kBufferSize));
      read(buffer_.get(), n);
      out.write(buffer_.get(), n);
      size -= uint64_t(n);
    }
  }

  void append(std::vector<uint8_t>& bytes, uint64_t offset, uint64_t size) {
    seek(offset);
    const size_t start = bytes.size();
    bytes.resize(start + static_cast<size_t>(size));
    read(reinterpret_cast<char*>(bytes.data() + start), static_cast<std::streamsize>(size));
  }

 private:
  static constexpr size_t kBufferSize = 256 * 1024;

  void seek(uint64_t offset) {
    if (offset == position_) return;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    position_ = offset;
  }

  void read(char* into, std::streamsize n) {
    in_.read(into, n);
    if (in_.gcount() != n) {
      position_ = UINT64_MAX;
      throw DOMException("NotReadableError", "the file changed while it was read");
    }
    position_ += uint64_t(n);
  }

  std::istream& in_;
  std::unique_ptr<char[]> buffer_;
  uint64_t position_ = UINT64_MAX;  ///< of `in_`, when known
};

/// The rewritten file must hold everything the input's layout found: the same clusters and
/// the same length. Anything less is a fault here, and the input must not be replaced by it.
void checkRewritten(const std::filesystem::path& temp, const WebmLayout& layout,
                    const std::filesystem::path& path) {
  std::ifstream written(temp, std::ios::binary);
  std::error_code ec;
  const auto size = std::filesystem::file_size(temp, ec);
  std::string error;
  const std::optional<WebmLayout> result = detail::readWebmLayout(written, ec ? 0 : size, error);
  if (!result)
    throw DOMException("EncodingError", path.string() +
                                            ": the rewritten file does not read back (" + error +
                                            "); the file is left as it was");
  if (result->truncated || result->clusterCount != layout.clusterCount ||
      result->duration + 1e-9 < layout.duration)
    throw DOMException("EncodingError", path.string() +
                                            ": the rewritten file would hold less media than "
                                            "the input; the file is left as it was");
}

void rewrite(const std::filesystem::path& path, std::ifstream& in, const WebmLayout& layout,
             uint64_t fileSize) {
  detail::FileReplacement replacement(path);
  errno = 0;
  std::ofstream& out = replacement.out();
  {
    auto put = [&](const std::vector<uint8_t>& bytes) {
      out.write(reinterpret_cast<const char*>(bytes.data()),
                static_cast<std::streamsize>(bytes.size()));
    };
    RangeCopier copier(in);
    copier.copy(out, 0, layout.header.end());
    const uint64_t segmentOffset = layout.header.end();
    std::vector<uint8_t> segmentHeader;
    ebml::putId(segmentHeader, webm_id::kSegment);
    ebml::putSize8(segmentHeader, 0);  // patched once the size is known
    put(segmentHeader);
    const uint64_t base = segmentOffset + segmentHeader.size();
    std::vector<uint8_t> room;
    ebml::putVoid(room, kSeekHeadRoom);
    put(room);

    std::vector<std::pair<uint32_t, uint64_t>> entries;
    std::vector<uint64_t> clusterPositions;  // of the cue points' clusters
    // The elements again, in order, from a second read of the file: the layout keeps only
    // the cue points of its clusters.
    std::ifstream again(path, std::ios::binary);
    std::string error;
    const bool readAgain =
        detail::readWebmLayout(again, fileSize, error, [&](const EbmlElement& child) {
          const uint64_t position = uint64_t(out.tellp()) - base;
          if (child.id == webm_id::kSeekHead || child.id == webm_id::kVoid ||
              child.id == webm_id::kCues)
            return;  // replaced
          if (child.id == webm_id::kInfo) {
            std::vector<uint8_t> body;
            for (const auto& field : layout.infoChildren)
              if (field.id != webm_id::kDuration && field.id != webm_id::kVoid)
                copier.append(body, field.offset, field.end() - field.offset);
            const auto duration = durationElement(layout);
            body.insert(body.end(), duration.begin(), duration.end());
            std::vector<uint8_t> info;
            ebml::putMaster(info, webm_id::kInfo, body);
            put(info);
            entries.emplace_back(webm_id::kInfo, position);
          } else if (child.id == webm_id::kCluster) {
            if (clusterPositions.size() < layout.cuePoints.size() &&
                layout.cuePoints[clusterPositions.size()].clusterOffset == child.offset)
              clusterPositions.push_back(position);
            std::vector<uint8_t> clusterHeader;
            ebml::putId(clusterHeader, webm_id::kCluster);
            ebml::putSize8(clusterHeader, child.dataSize);
            put(clusterHeader);
            copier.copy(out, child.dataOffset(), child.dataSize);
          } else {
            if (child.id == webm_id::kTracks) entries.emplace_back(webm_id::kTracks, position);
            copier.copy(out, child.offset, child.end() - child.offset);
          }
        }).has_value();
    if (!readAgain || clusterPositions.size() != layout.cuePoints.size())
      throw DOMException("NotReadableError", path.string() + " changed while it was read");
    entries.emplace_back(webm_id::kCues, uint64_t(out.tellp()) - base);
    put(cues(layout, clusterPositions));
    const uint64_t segmentSize = uint64_t(out.tellp()) - base;
    out.seekp(static_cast<std::streamoff>(base));
    put(seekHead(entries, kSeekHeadRoom));
    std::vector<uint8_t> size;
    ebml::putSize8(size, segmentSize);
    out.seekp(static_cast<std::streamoff>(segmentOffset + 4));
    put(size);
    out.flush();
    if (!out)
      throw DOMException("NotAllowedError", "cannot write " + replacement.temporaryPath().string() +
                                                ": " + std::strerror(errno ? errno : EIO) + "; " +
                                                path.string() + " is left as it was");
  }
  checkRewritten(replacement.temporaryPath(), layout, path);
  replacement.commit();
}

}  // namespace

void makeSeekable(const std::filesystem::path& file) {
  // Before opening it: opening a FIFO blocks until something writes to it.
  std::error_code notThere;
  const auto type = std::filesystem::status(file, notThere).type();
  if (!notThere && type != std::filesystem::file_type::regular)
    throw DOMException("NotReadableError", file.string() + " is not a regular file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DOMException("NotReadableError", "cannot open " + file.string());
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(file, ec);
  if (ec) throw DOMException("NotReadableError", "cannot read " + file.string());
  char magic[4] = {};
  in.read(magic, 4);
  if (in.gcount() == 4 && std::memcmp(magic, "OggS", 4) == 0) return;  // Ogg seeks by itself
  if (detail::mp4::looksLikeMp4(in)) return detail::finishMp4(file, in, size);
  in.clear();
  in.seekg(4);
  std::string error;
  const std::optional<WebmLayout> read = detail::readWebmLayout(in, size, error);
  if (!read) throw DOMException("EncodingError", file.string() + ": " + error);
  const WebmLayout& layout = *read;
  if (layout.hasDuration && layout.hasCues && !layout.truncated) return;
  if (fitsInPlace(layout)) {
    in.close();
    completeInPlace(file, layout, size);
  } else {
    rewrite(file, in, layout, size);
  }
}

}  // namespace mrec
