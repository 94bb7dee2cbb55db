#include "core/clock.h"

#include <chrono>

namespace mrec::detail {

namespace {
const auto timeOrigin = std::chrono::steady_clock::now();
}

double nowMilliseconds() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - timeOrigin)
      .count();
}

int64_t wallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               timeOrigin)
      .count();
}

}  // namespace mrec::detail
