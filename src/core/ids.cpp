#include "core/ids.h"

#include <cstdio>
#include <random>

#include "core/mutex.h"

namespace mrec::detail {

namespace {
struct Random {
  Mutex mutex;
  std::mt19937_64 engine MREC_GUARDED_BY(mutex){std::random_device{}()};
};

unsigned long long random64() {
  static Random random;
  MutexLock lock(random.mutex);
  return random.engine();
}
}  // namespace

std::string makeUuid() {
  unsigned long long high = random64();
  unsigned long long low = random64();
  high = (high & ~0xF000ULL) | 0x4000ULL;            // version 4
  low = (low & ~(0xC0ULL << 56)) | (0x80ULL << 56);  // variant 10
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", high >> 32,
                (high >> 16) & 0xFFFF, high & 0xFFFF, low >> 48, low & 0xFFFFFFFFFFFFULL);
  return text;
}

unsigned long long makeNonZeroRandom64() {
  unsigned long long value = 0;
  while (value == 0) value = random64();
  return value;
}

}  // namespace mrec::detail
