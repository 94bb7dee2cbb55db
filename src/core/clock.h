// The library's time origin, for Event::timeStamp.
#pragma once

#include <cstdint>

namespace mrec::detail {

/// Milliseconds since the library's time origin, on a monotonic clock.
double nowMilliseconds();

/// Microseconds on the same monotonic clock: the time base of media captured in real time
/// (devices, realtime synthetic sources), so that audio and video of one stream line up.
int64_t wallClockMicros();

}  // namespace mrec::detail
