#include "core/sample_format.h"

#include <bit>
#include <cstring>

namespace mrec::detail {

size_t bytesPerSample(SampleEncoding encoding) {
  switch (encoding) {
    case SampleEncoding::U8:
      return 1;
    case SampleEncoding::S16:
      return 2;
    case SampleEncoding::S24:
      return 3;
    case SampleEncoding::S32:
      return 4;
    case SampleEncoding::F32:
      return 4;
    case SampleEncoding::F64:
      return 8;
  }
  return 0;
}

namespace {
int32_t readS32(const uint8_t* p) {
  return static_cast<int32_t>(uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 |
                              uint32_t{p[3]} << 24);
}
}  // namespace

void convertToFloat(SampleEncoding encoding, const uint8_t* in, size_t count, float* out) {
  switch (encoding) {
    case SampleEncoding::U8:
      for (size_t i = 0; i < count; ++i) out[i] = (static_cast<float>(in[i]) - 128.0f) / 128.0f;
      return;
    case SampleEncoding::S16:
      // The hot path of every 16-bit file and device: written so that the compiler can
      // vectorise it (see CMakeLists.txt); multiplying by 2^-15 is exact, like dividing.
      if constexpr (std::endian::native == std::endian::little) {
        for (size_t i = 0; i < count; ++i) {
          int16_t v = 0;
          std::memcpy(&v, in + 2 * i, sizeof v);
          out[i] = static_cast<float>(v) * (1.0f / 32768.0f);
        }
      } else {
        for (size_t i = 0; i < count; ++i) {
          const auto v = static_cast<int16_t>(uint16_t{in[2 * i]} | uint16_t{in[2 * i + 1]} << 8);
          out[i] = static_cast<float>(v) * (1.0f / 32768.0f);
        }
      }
      return;
    case SampleEncoding::S24:
      for (size_t i = 0; i < count; ++i) {
        const uint8_t* p = in + 3 * i;
        // Placed in the top three bytes, the sign comes for free.
        const auto v =
            static_cast<int32_t>(uint32_t{p[0]} << 8 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 24);
        out[i] = static_cast<float>(v) / 2147483648.0f;
      }
      return;
    case SampleEncoding::S32:
      for (size_t i = 0; i < count; ++i)
        out[i] = static_cast<float>(static_cast<double>(readS32(in + 4 * i)) / 2147483648.0);
      return;
    case SampleEncoding::F32:
      if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(out, in, count * sizeof(float));
        return;
      }
      for (size_t i = 0; i < count; ++i) {
        uint32_t bits = static_cast<uint32_t>(readS32(in + 4 * i));
        std::memcpy(&out[i], &bits, sizeof(float));
      }
      return;
    case SampleEncoding::F64:
      for (size_t i = 0; i < count; ++i) {
        uint64_t bits = 0;
        for (int b = 7; b >= 0; --b) bits = bits << 8 | in[8 * i + static_cast<size_t>(b)];
        double value = 0;
        std::memcpy(&value, &bits, sizeof(double));
        out[i] = static_cast<float>(value);
      }
      return;
  }
}

}  // namespace mrec::detail
