#include "containers/ebml_writer.h"

#include <cstring>

namespace mrec::detail::ebml {

namespace {
constexpr uint32_t kVoidId = 0xEC;

void putBigEndian(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}
}  // namespace

void putId(std::vector<uint8_t>& out, uint32_t id) {
  int bytes = 1;
  while (bytes < 4 && (id >> (8 * bytes)) != 0) ++bytes;
  putBigEndian(out, id, bytes);
}

void putSize(std::vector<uint8_t>& out, uint64_t size) {
  if (size == kUnknownSize) {
    putBigEndian(out, kUnknownSize, 8);
    return;
  }
  // A length of n bytes holds 7n bits of value; the all-ones value is reserved.
  int bytes = 1;
  while (bytes < 8 && size >= (uint64_t{1} << (7 * bytes)) - 1) ++bytes;
  putBigEndian(out, size | (uint64_t{1} << (7 * bytes)), bytes);
}

void putSize8(std::vector<uint8_t>& out, uint64_t size) {
  putBigEndian(out, size | (uint64_t{1} << 56), 8);
}

void putUint(std::vector<uint8_t>& out, uint32_t id, uint64_t value) {
  int bytes = 1;
  while (bytes < 8 && (value >> (8 * bytes)) != 0) ++bytes;
  putId(out, id);
  putSize(out, static_cast<uint64_t>(bytes));
  putBigEndian(out, value, bytes);
}

void putInt(std::vector<uint8_t>& out, uint32_t id, int64_t value) {
  int bytes = 1;
  while (bytes < 8) {
    const int64_t limit = int64_t{1} << (8 * bytes - 1);
    if (value >= -limit && value < limit) break;
    ++bytes;
  }
  putId(out, id);
  putSize(out, static_cast<uint64_t>(bytes));
  putBigEndian(out, static_cast<uint64_t>(value), bytes);
}

void putFloat(std::vector<uint8_t>& out, uint32_t id, double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  putId(out, id);
  putSize(out, 8);
  putBigEndian(out, bits, 8);
}

void putString(std::vector<uint8_t>& out, uint32_t id, std::string_view value) {
  putBinary(out, id, reinterpret_cast<const uint8_t*>(value.data()), value.size());
}

void putBinary(std::vector<uint8_t>& out, uint32_t id, const uint8_t* data, size_t size) {
  putId(out, id);
  putSize(out, size);
  out.insert(out.end(), data, data + size);
}

void putMaster(std::vector<uint8_t>& out, uint32_t id, const std::vector<uint8_t>& body) {
  putBinary(out, id, body.data(), body.size());
}

void putVoid(std::vector<uint8_t>& out, size_t totalBytes) {
  // One ID byte, then a size field chosen so that header + payload == totalBytes.
  const size_t sizeBytes = totalBytes - 1 <= 127 ? 1 : 8;
  const size_t payload = totalBytes - 1 - sizeBytes;
  putId(out, kVoidId);
  if (sizeBytes == 1)
    putSize(out, payload);
  else
    putBigEndian(out, payload | (uint64_t{1} << 56), 8);
  out.insert(out.end(), payload, 0);
}

}  // namespace mrec::detail::ebml
