// Where a stretch of one recording lies in another of the same signal, by normalised
// correlation. Header-only: the capture-start test and the start-loss benchmark share it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace mrec::test {

struct Alignment {
  size_t offset = 0;       ///< in the reference
  double correlation = 0;  ///< 1 is identical; a wrong offset of noise is near 0
};

/// The offset in `reference` at which `probe[probeStart, probeStart + window)` matches best,
/// searched over offsets [from, to).
inline Alignment align(const std::vector<float>& reference, const std::vector<float>& probe,
                       size_t probeStart, size_t window, size_t from, size_t to) {
  Alignment best;
  if (probeStart + window > probe.size() || window > reference.size()) return best;
  to = std::min(to, reference.size() - window + 1);
  const float* p = probe.data() + probeStart;
  double probeEnergy = 0;
  for (size_t i = 0; i < window; ++i) probeEnergy += double(p[i]) * p[i];
  for (size_t offset = from; offset < to; ++offset) {
    const float* r = reference.data() + offset;
    double dot = 0, energy = 0;
    for (size_t i = 0; i < window; ++i) {
      dot += double(r[i]) * p[i];
      energy += double(r[i]) * r[i];
    }
    const double correlation =
        energy > 0 && probeEnergy > 0 ? dot / std::sqrt(energy * probeEnergy) : 0;
    if (correlation > best.correlation) best = {offset, correlation};
  }
  return best;
}

}  // namespace mrec::test
