#include "containers/bmff_writer.h"

#include <stdexcept>

namespace mrec::detail::bmff {

void Writer::u16(uint16_t value) {
  out_.push_back(static_cast<uint8_t>(value >> 8));
  out_.push_back(static_cast<uint8_t>(value));
}

void Writer::u24(uint32_t value) {
  out_.push_back(static_cast<uint8_t>(value >> 16));
  u16(static_cast<uint16_t>(value));
}

void Writer::u32(uint32_t value) {
  u16(static_cast<uint16_t>(value >> 16));
  u16(static_cast<uint16_t>(value));
}

void Writer::u64(uint64_t value) {
  u32(static_cast<uint32_t>(value >> 32));
  u32(static_cast<uint32_t>(value));
}

void Writer::fourcc(std::string_view code) {
  if (code.size() != 4) throw std::logic_error("a four-character code has four characters");
  out_.insert(out_.end(), code.begin(), code.end());
}

void Writer::bytes(const uint8_t* data, size_t size) {
  out_.insert(out_.end(), data, data + size);
}

void Writer::zeros(size_t count) {
  out_.insert(out_.end(), count, 0);
}

void Writer::matrix() {
  // { 1, 0, 0,  0, 1, 0,  0, 0, 1 } in 16.16, 16.16 and 2.30 (14496-12 §8.2.2).
  for (const uint32_t value : {0x00010000u, 0u, 0u, 0u, 0x00010000u, 0u, 0u, 0u, 0x40000000u})
    u32(value);
}

void Writer::open(std::string_view type) {
  open_.push_back(out_.size());
  u32(0);
  fourcc(type);
}

void Writer::openFull(std::string_view type, uint8_t version, uint32_t flags) {
  open(type);
  u8(version);
  u24(flags);
}

void Writer::close() {
  if (open_.empty()) throw std::logic_error("no box is open");
  const size_t start = open_.back();
  open_.pop_back();
  const size_t size = out_.size() - start;
  if (size > UINT32_MAX) throw std::length_error("a box over 4 GiB needs a 64-bit size");
  patchU32(start, static_cast<uint32_t>(size));
}

void Writer::patchU32(size_t offset, uint32_t value) {
  out_.at(offset) = static_cast<uint8_t>(value >> 24);
  out_.at(offset + 1) = static_cast<uint8_t>(value >> 16);
  out_.at(offset + 2) = static_cast<uint8_t>(value >> 8);
  out_.at(offset + 3) = static_cast<uint8_t>(value);
}

}  // namespace mrec::detail::bmff
