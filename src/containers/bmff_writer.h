// The ISO base media file format's (ISO/IEC 14496-12) primitives, appended to a byte vector:
// big-endian fields, and boxes whose size is filled in when they close.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace mrec::detail::bmff {

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) : out_(out) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void u8(uint8_t value) { out_.push_back(value); }
  void u16(uint16_t value);
  void u24(uint32_t value);
  void u32(uint32_t value);
  void u64(uint64_t value);
  /// A four-character code: `code` must be 4 bytes long.
  void fourcc(std::string_view code);
  void bytes(const uint8_t* data, size_t size);
  void bytes(const std::vector<uint8_t>& data) { bytes(data.data(), data.size()); }
  void zeros(size_t count);
  /// A 16.16 fixed-point number's 32 bits, and the unity transformation matrix.
  void matrix();

  /// Opens a box (or a full box with a version and flags); boxes nest until close().
  void open(std::string_view type);
  void openFull(std::string_view type, uint8_t version, uint32_t flags);
  /// Closes the innermost open box, writing its 32-bit size.
  void close();

  size_t size() const { return out_.size(); }
  /// Overwrites the 32 bits at `offset` (a field whose value was not known when written).
  void patchU32(size_t offset, uint32_t value);

 private:
  std::vector<uint8_t>& out_;
  std::vector<size_t> open_;
};

/// Opens a box for the lifetime of a scope: `{ bmff::Box moov(w, "moov"); ... }`.
class Box {
 public:
  Box(Writer& writer, std::string_view type) : writer_(writer) { writer.open(type); }
  Box(Writer& writer, std::string_view type, uint8_t version, uint32_t flags) : writer_(writer) {
    writer.openFull(type, version, flags);
  }
  ~Box() { writer_.close(); }
  Box(const Box&) = delete;
  Box& operator=(const Box&) = delete;

 private:
  Writer& writer_;
};

}  // namespace mrec::detail::bmff
