// The EBML primitives Matroska and WebM are made of (RFC 8794), appended to a byte vector.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace mrec::detail::ebml {

/// The 8-byte size that means "unknown" (RFC 8794 §6.2), for live Segments and Clusters.
constexpr uint64_t kUnknownSize = 0x01FFFFFFFFFFFFFFULL;

void putId(std::vector<uint8_t>& out, uint32_t id);
/// The shortest variable-size integer for `size` (or the 8-byte unknown size).
void putSize(std::vector<uint8_t>& out, uint64_t size);
/// `size` in exactly 8 bytes, so that it can be patched in place later.
void putSize8(std::vector<uint8_t>& out, uint64_t size);
void putUint(std::vector<uint8_t>& out, uint32_t id, uint64_t value);
void putInt(std::vector<uint8_t>& out, uint32_t id, int64_t value);
void putFloat(std::vector<uint8_t>& out, uint32_t id, double value);
void putString(std::vector<uint8_t>& out, uint32_t id, std::string_view value);
void putBinary(std::vector<uint8_t>& out, uint32_t id, const uint8_t* data, size_t size);
/// A master element whose children are already serialised in `body`.
void putMaster(std::vector<uint8_t>& out, uint32_t id, const std::vector<uint8_t>& body);
/// A Void element taking exactly `totalBytes` (at least 2), to reserve room.
void putVoid(std::vector<uint8_t>& out, size_t totalBytes);

}  // namespace mrec::detail::ebml
