// The WAV reader on any bytes: it throws DOMException EncodingError or NotSupportedError, or
// reads frames; it never reads past the input, never loops forever, never hands out NaN or
// infinite samples.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "mrec/errors.h"
#include "sources/wav_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto in =
      std::make_unique<std::istringstream>(std::string(reinterpret_cast<const char*>(data), size));
  try {
    mrec::detail::WavReader reader(std::move(in));
    const auto& format = reader.format();
    if (format.channels == 0 || format.sampleRate == 0) std::abort();
    std::vector<float> frames(size_t{16} * format.channels);
    uint64_t total = 0;
    while (const uint32_t n = reader.read(frames.data(), 16)) {
      for (size_t i = 0; i < size_t{n} * format.channels; ++i)
        if (!std::isfinite(frames[i])) std::abort();
      total += n;
      if (total * format.channels > size) std::abort();  // more samples than bytes
    }
  } catch (const mrec::DOMException& e) {
    if (e.name() != "EncodingError" && e.name() != "NotSupportedError") std::abort();
  }
  return 0;
}
