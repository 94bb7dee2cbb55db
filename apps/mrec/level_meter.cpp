#include "level_meter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace mrec::cli {

namespace {
constexpr int kCells = 20;
constexpr double kFloorDb = -60;
// A sample this close to full scale has almost surely been clipped on the way in.
constexpr float kClipLevel = 0.999f;
constexpr auto kClipHold = std::chrono::seconds(2);
}  // namespace

void LevelMeter::add(const AudioData& data) {
  if (data.format != AudioSampleFormat::F32) return;
  const size_t count = data.data.size() / sizeof(float);
  for (size_t i = 0; i < count; ++i) {
    float sample;
    std::memcpy(&sample, data.data.data() + i * sizeof(float), sizeof sample);
    const float magnitude = std::fabs(sample);
    peak_ = std::max(peak_, magnitude);
    if (magnitude >= kClipLevel) clippedNow_ = true;
  }
}

std::string LevelMeter::render(std::chrono::steady_clock::time_point now) {
  if (clippedNow_) clipShownUntil_ = now + kClipHold;
  const double db = peak_ > 0 ? 20 * std::log10(double(peak_)) : -INFINITY;
  const int lit =
      db <= kFloorDb ? 0 : std::min(kCells, int(std::lround((db - kFloorDb) / -kFloorDb * kCells)));
  std::string text =
      "[" + std::string(size_t(lit), '#') + std::string(size_t(kCells - lit), '-') + "] ";
  char value[16];
  if (db <= kFloorDb)
    std::snprintf(value, sizeof value, "  -inf dB");
  else
    std::snprintf(value, sizeof value, "%5.1f dB", db);
  text += value;
  text += now < clipShownUntil_ ? "  CLIP" : "      ";
  peak_ = 0;
  clippedNow_ = false;
  return text;
}

}  // namespace mrec::cli
