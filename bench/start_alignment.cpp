// Where a recording starts within another of the same signal: the offset in REFERENCE of the
// first samples of PROBE (both raw mono 32-bit float at 48 kHz), found by correlation of
// their first 100 ms. scripts/bench.sh records pink noise from a PulseAudio monitor with
// parec and with `mrec record` started a known time later; the offset, less that time, is
// how much more of the input mrec lost at its start than parec.
//   start_alignment REFERENCE.f32 PROBE.f32   prints: OFFSET_SAMPLES CORRELATION
#include <cstdio>
#include <fstream>
#include <vector>

#include "support/alignment.h"

namespace {

std::vector<float> readFloats(const char* path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  std::vector<float> samples(size_t(in.tellg()) / sizeof(float));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(samples.data()), std::streamsize(samples.size() * sizeof(float)));
  return samples;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: start_alignment REFERENCE.f32 PROBE.f32\n");
    return 2;
  }
  constexpr size_t kRate = 48000;
  const auto reference = readFloats(argv[1]);
  const auto probe = readFloats(argv[2]);
  const size_t window = kRate / 10;
  if (probe.size() < window || reference.size() < window) {
    std::fprintf(stderr, "recordings too short: %zu and %zu samples\n", reference.size(),
                 probe.size());
    return 1;
  }
  const auto found = mrec::test::align(reference, probe, 0, window, 0, reference.size());
  std::printf("%zu %.3f\n", found.offset, found.correlation);
  return found.correlation > 0.5 ? 0 : 1;
}
