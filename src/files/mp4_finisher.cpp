// A fragmented MP4 (ftyp, moov with mvex, moof+mdat...) becomes a regular MP4 without moving
// a byte of media, as OBS's hybrid MP4 does: a moov indexing every sample is appended after
// the last whole fragment, then the first moov is overwritten by a free box and the header
// of one mdat that spans every fragment. Each step leaves a file that plays: until the last
// write the first moov and the fragments are still there, and a second run (after a crash)
// cuts the appended moov off and starts again.
#include "files/mp4_finisher.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "containers/bmff_writer.h"
#include "containers/mp4_reader.h"
#include "mrec/errors.h"

namespace mrec::detail {

namespace {

constexpr uint64_t kMdatHeaderBytes = 16;  // a 64-bit size: the fragments may pass 4 GiB
constexpr uint64_t kFreeHeaderBytes = 8;
constexpr size_t kMoovBytesBesideTheIndex = 4096;  // headers, sample entries, edits

mp4::Movie finishedMovie(mp4::Layout& layout) {
  mp4::Movie movie;
  movie.fragmented = false;
  for (mp4::ReadTrack& read : layout.tracks) {
    // Each sample's duration already reaches the next one's decode time (mp4_reader.h).
    mp4::Track track = std::move(read.track);
    track.mediaDuration = track.samples.totalDuration();
    track.startOffset = read.firstDecodeTime;
    track.presentedDuration =
        track.mediaDuration > track.mediaStart ? track.mediaDuration - track.mediaStart : 0;
    movie.tracks.push_back(std::move(track));
  }
  return movie;
}

void putBig(uint8_t* out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i, value >>= 8) out[i] = static_cast<uint8_t>(value);
}

void writeAll(int fd, const uint8_t* data, size_t size, uint64_t offset, const std::string& path) {
  while (size > 0) {
    const ssize_t n = pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw DOMException("NotAllowedError", "cannot write " + path + ": " + std::strerror(errno));
    data += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
}

}  // namespace

void finishMp4(const std::filesystem::path& path, std::istream& in, uint64_t fileSize) {
  std::string error;
  std::optional<mp4::Layout> read = mp4::readLayout(in, fileSize, error);
  if (!read) throw DOMException("EncodingError", path.string() + ": " + error);
  mp4::Layout& layout = *read;
  // A regular MP4 is left as it is; so is a fragmented one that holds no whole fragment.
  if (!layout.hasFragments) return;
  if (layout.moovSize < kFreeHeaderBytes + kMdatHeaderBytes)
    throw DOMException("EncodingError", path.string() + ": the moov box is too small to reuse");
  const mp4::Movie movie = finishedMovie(layout);
  std::vector<uint8_t> moov;
  size_t moovBytes = kMoovBytesBesideTheIndex;
  for (const mp4::Track& track : movie.tracks)
    moovBytes += track.samples.indexBytes() + 4 * track.compositionOffsets.size();
  moov.reserve(moovBytes);  // an hour's moov is most of a MB: grown by doubling, twice that
  bmff::Writer writer(moov);
  mp4::writeMovie(writer, movie);

  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    throw DOMException("NotAllowedError",
                       "cannot write " + path.string() + ": " + std::strerror(errno));
  try {
    const std::string name = path.string();
    // A partial fragment, an index of the fragments, or a moov left by an interrupted run.
    if (fileSize > layout.fragmentsEnd &&
        ftruncate(fd, static_cast<off_t>(layout.fragmentsEnd)) != 0)
      throw DOMException("NotAllowedError",
                         "cannot truncate " + name + ": " + std::strerror(errno));
    writeAll(fd, moov.data(), moov.size(), layout.fragmentsEnd, name);
    if (fsync(fd) != 0)
      throw DOMException("NotAllowedError", "cannot write " + name + ": " + std::strerror(errno));
    uint8_t header[kFreeHeaderBytes];
    putBig(header, layout.moovSize - kMdatHeaderBytes, 4);
    std::memcpy(header + 4, "free", 4);
    uint8_t mdat[kMdatHeaderBytes];
    const uint64_t mdatOffset = layout.moovOffset + layout.moovSize - kMdatHeaderBytes;
    putBig(mdat, 1, 4);  // the size is the 64-bit one that follows
    std::memcpy(mdat + 4, "mdat", 4);
    putBig(mdat + 8, layout.fragmentsEnd - mdatOffset, 8);
    writeAll(fd, mdat, sizeof mdat, mdatOffset, name);
    writeAll(fd, header, sizeof header, layout.moovOffset, name);
    if (fsync(fd) != 0)
      throw DOMException("NotAllowedError", "cannot write " + name + ": " + std::strerror(errno));
  } catch (...) {
    close(fd);
    throw;
  }
  close(fd);
}

}  // namespace mrec::detail
