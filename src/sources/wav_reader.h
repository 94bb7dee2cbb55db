// A streaming reader of RIFF WAVE files: parses the header, then hands out float frames.
// A pure unit (no threads), so that it can be tested and fuzzed on bytes alone.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "core/sample_format.h"

namespace mrec::detail {

struct WavFormat {
  uint32_t sampleRate = 0;
  uint32_t channels = 0;
  SampleEncoding encoding = SampleEncoding::S16;
  uint64_t dataBytes = 0;  ///< bytes of sample data (what the header declares, or to EOF)
};

class WavReader {
 public:
  /// Parses the header. Throws DOMException "EncodingError" for a malformed file and
  /// "NotSupportedError" for a well-formed file in an encoding it cannot decode.
  explicit WavReader(std::unique_ptr<std::istream> in);

  const WavFormat& format() const { return format_; }
  /// Reads up to `frames` interleaved frames into `out`; returns how many (0 at the end).
  /// A file shorter than its header declares ends where the bytes end.
  uint32_t read(float* out, uint32_t frames);

 private:
  std::unique_ptr<std::istream> in_;
  WavFormat format_;
  uint64_t remainingBytes_ = 0;
  std::vector<uint8_t> buffer_;
};

}  // namespace mrec::detail
