// Media time, and the one place counts of it change units.
//
// A recording's clock, packets' places, Blob cuts and frame durations are microseconds of
// media in an int64_t whose name ends in `Us` (the WebCodecs unit of AudioData and
// VideoFrame timestamps). A count at a rate (samples at the sample rate, ticks of a track's
// timebase or of an MP4 timescale) changes to another rate only through these functions, so
// that every conversion rounds the same way and none can overflow or divide by zero
// unnoticed in a copy of its own.
#pragma once

#include <cmath>
#include <cstdint>

namespace mrec::detail {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerMilli = 1'000;
inline constexpr int64_t kMillisPerSecond = 1'000;
inline constexpr int64_t kNanosPerSecond = 1'000'000'000;

/// `value`, counted `from` times a second, counted `to` times a second: rounded down (toward
/// zero). 0 when `from` is 0 (a rate not known yet). An hour at 48 kHz in microseconds is
/// 1.7e14, far from int64_t's limit.
constexpr int64_t rescale(int64_t value, int64_t from, int64_t to) {
  return from > 0 ? value * to / from : 0;
}
/// The same, rounded to the nearest (halves away from zero, as std::llround).
constexpr int64_t rescaleToNearest(int64_t value, int64_t from, int64_t to) {
  if (from <= 0) return 0;
  const int64_t scaled = value * to;
  return (scaled >= 0 ? scaled + from / 2 : scaled - from / 2) / from;
}

/// A count read from a file (an MP4 duration, which a damaged file may set to any 64-bit
/// value) at `from` a second, at `to` a second, to the nearest: exact in 128 bits, and the
/// largest uint64_t where the result does not fit. 0 when `from` is 0.
constexpr uint64_t rescaleFileCount(uint64_t value, uint64_t from, uint64_t to) {
  if (from == 0) return 0;
  __extension__ using Wide = unsigned __int128;  // GCC and clang; -Wpedantic accepts it so
  const Wide result = (static_cast<Wide>(value) * to + from / 2) / from;
  return result > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(result);
}

/// `units` at `rate` a second (samples, timebase ticks), in microseconds, rounded down.
constexpr int64_t unitsToMicros(int64_t units, int64_t rate) {
  return rescale(units, rate, kMicrosPerSecond);
}
/// The same, rounded up: the time `units` more take to arrive.
constexpr int64_t unitsToMicrosRoundedUp(int64_t units, int64_t rate) {
  return rate > 0 ? (units * kMicrosPerSecond + rate - 1) / rate : 0;
}
/// `us` microseconds as a count at `rate` a second, rounded down.
constexpr int64_t microsToUnits(int64_t us, int64_t rate) {
  return rescale(us, kMicrosPerSecond, rate);
}

/// Unrounded, for a sum over chunks whose rate may change on the way (a source that changes
/// format), and back to the nearest count at one rate.
inline double unitsToExactMicros(double units, double rate) {
  return units * double(kMicrosPerSecond) / rate;
}
inline int64_t microsToNearestUnits(double us, double rate) {
  return std::llround(us * rate / double(kMicrosPerSecond));
}

/// Where frame `index` of a constant `framesPerSecond` starts (index 1: one frame's
/// duration), to the nearest microsecond; rates need not be whole (29.97).
inline int64_t frameMicros(double framesPerSecond, int64_t index = 1) {
  return std::llround(double(index) * double(kMicrosPerSecond) / framesPerSecond);
}

/// The spec's milliseconds (timeslice, timecode, maxDuration) and media time.
constexpr int64_t millisToMicros(int64_t ms) {
  return ms * kMicrosPerMilli;
}
inline int64_t millisToNearestMicros(double ms) {
  return std::llround(ms * double(kMicrosPerMilli));
}
constexpr double microsToMillis(int64_t us) {
  return double(us) / double(kMicrosPerMilli);
}

}  // namespace mrec::detail
