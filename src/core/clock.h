// The library's time origin, for Event::timeStamp.
#pragma once

namespace mrec::detail {

/// Milliseconds since the library's time origin, on a monotonic clock.
double nowMilliseconds();

}  // namespace mrec::detail
