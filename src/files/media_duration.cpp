#include "mrec/media_duration.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>

namespace mrec {

namespace {

using Bytes = std::vector<uint8_t>;

Bytes readAt(std::ifstream& file, uint64_t offset, size_t size) {
  Bytes bytes(size);
  file.clear();
  file.seekg(std::streamoff(offset));
  file.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size));
  bytes.resize(size_t(file.gcount()));
  return bytes;
}

uint64_t fileSize(std::ifstream& file) {
  file.clear();
  file.seekg(0, std::ios::end);
  return uint64_t(file.tellg());
}

uint64_t littleEndian(const uint8_t* p, int bytes) {
  uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = value << 8 | p[i];
  return value;
}

uint64_t bigEndian(const uint8_t* p, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = value << 8 | p[i];
  return value;
}

// Ogg Opus: granule positions count 48 kHz samples from the start, pre-skip included.
std::optional<double> oggDuration(std::ifstream& file) {
  constexpr size_t kMaxPage = 65307;  // 27-byte header, 255 lacing values, 255 * 255 bytes
  const Bytes head = readAt(file, 0, 512);
  const uint8_t* opusHead =
      static_cast<const uint8_t*>(memmem(head.data(), head.size(), "OpusHead", 8));
  if (!opusHead || opusHead + 12 > head.data() + head.size()) return std::nullopt;
  const uint64_t preSkip = littleEndian(opusHead + 10, 2);
  const uint64_t size = fileSize(file);
  const uint64_t from = size > 2 * kMaxPage ? size - 2 * kMaxPage : 0;
  const Bytes tail = readAt(file, from, size_t(size - from));
  // The last whole page's granule (a page cut off by a crash is not played either).
  std::optional<uint64_t> granule;
  for (size_t at = 0; at + 27 <= tail.size(); ++at) {
    if (std::memcmp(&tail[at], "OggS", 4) != 0) continue;
    const size_t segments = tail[at + 26];
    if (at + 27 + segments > tail.size()) break;
    size_t body = 0;
    for (size_t i = 0; i < segments; ++i) body += tail[at + 27 + i];
    if (at + 27 + segments + body > tail.size()) break;
    const uint64_t position = littleEndian(&tail[at + 6], 8);
    if (position != UINT64_MAX) granule = position;  // -1: no packet ends on this page
    at += 27 + segments + body - 1;
  }
  if (!granule || *granule < preSkip) return std::nullopt;
  return double(*granule - preSkip) / 48000;
}

// EBML: a variable-length integer; `marker` keeps the length bit (element ids keep it).
std::optional<uint64_t> readVint(const Bytes& bytes, size_t& at, bool marker) {
  if (at >= bytes.size() || bytes[at] == 0) return std::nullopt;
  int length = 1;
  while (!(bytes[at] & (0x80 >> (length - 1)))) ++length;
  if (at + size_t(length) > bytes.size()) return std::nullopt;
  uint64_t value = marker ? bytes[at] : bytes[at] & (0xFF >> length);
  for (int i = 1; i < length; ++i) value = value << 8 | bytes[at + size_t(i)];
  at += size_t(length);
  return value;
}

// WebM: Segment > Info > TimecodeScale (ns a tick) and Duration (ticks, a float).
std::optional<double> webmDuration(std::ifstream& file) {
  const Bytes bytes = readAt(file, 0, 1 << 20);  // Info sits in the first clusters' front
  size_t at = 0;
  std::optional<double> duration;
  uint64_t scale = 1000000;
  while (at < bytes.size()) {
    const auto id = readVint(bytes, at, true);
    const auto size = readVint(bytes, at, false);
    if (!id || !size) break;
    const bool master = *id == 0x18538067 || *id == 0x1549A966;  // Segment, Info: step in
    if (master) continue;
    if (at + *size > bytes.size()) break;
    if (*id == 0x2AD7B1) scale = bigEndian(&bytes[at], int(*size));
    if (*id == 0x4489 && (*size == 4 || *size == 8)) {
      const uint64_t raw = bigEndian(&bytes[at], int(*size));
      if (*size == 4) {
        float value;
        const uint32_t raw32 = uint32_t(raw);
        std::memcpy(&value, &raw32, 4);
        duration = value;
      } else {
        double value;
        std::memcpy(&value, &raw, 8);
        duration = value;
      }
    }
    if (*id == 0x1F43B675) break;  // a Cluster: Info is behind us
    at += size_t(*size);
  }
  if (!duration) return std::nullopt;
  return *duration * double(scale) / 1e9;
}

// MP4: moov > mvhd's duration in its timescale, the edit lists already applied.
std::optional<double> mp4Duration(std::ifstream& file) {
  const uint64_t size = fileSize(file);
  for (uint64_t at = 0; at + 8 <= size;) {
    const Bytes header = readAt(file, at, 16);
    if (header.size() < 8) break;
    uint64_t boxSize = bigEndian(&header[0], 4);
    size_t headerSize = 8;
    if (boxSize == 1 && header.size() == 16) {
      boxSize = bigEndian(&header[8], 8);
      headerSize = 16;
    } else if (boxSize == 0) {
      boxSize = size - at;
    }
    if (boxSize < headerSize) break;
    if (std::memcmp(&header[4], "moov", 4) == 0) {
      const Bytes moov = readAt(file, at + headerSize, size_t(std::min<uint64_t>(boxSize, 4096)));
      const auto* mvhd = static_cast<const uint8_t*>(memmem(moov.data(), moov.size(), "mvhd", 4));
      if (!mvhd || mvhd + 36 > moov.data() + moov.size()) return std::nullopt;
      const uint8_t* body = mvhd + 4;
      const bool version1 = body[0] == 1;
      const uint64_t timescale = bigEndian(body + (version1 ? 20 : 12), 4);
      const uint64_t duration = version1 ? bigEndian(body + 24, 8) : bigEndian(body + 16, 4);
      // A fragmented MP4's movie header says 0: its length is in the fragments.
      if (timescale == 0 || duration == 0) return std::nullopt;
      return double(duration) / double(timescale);
    }
    at += boxSize;
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> mediaDuration(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  // The file's own signature picks the reader, whatever its name says.
  const Bytes magic = readAt(file, 0, 8);
  if (magic.size() < 8) return std::nullopt;
  if (std::memcmp(magic.data(), "OggS", 4) == 0) return oggDuration(file);
  if (bigEndian(magic.data(), 4) == 0x1A45DFA3) return webmDuration(file);
  if (std::memcmp(magic.data() + 4, "ftyp", 4) == 0) return mp4Duration(file);
  return std::nullopt;
}

}  // namespace mrec
