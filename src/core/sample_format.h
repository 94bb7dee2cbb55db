// Conversions from stored sample formats to the float samples the pipeline carries.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mrec::detail {

enum class SampleEncoding { U8, S16, S24, S32, F32, F64 };

/// Bytes one sample of `encoding` takes.
size_t bytesPerSample(SampleEncoding encoding);

/// Converts `count` little-endian samples at `in` to floats in [-1, 1].
void convertToFloat(SampleEncoding encoding, const uint8_t* in, size_t count, float* out);

}  // namespace mrec::detail
