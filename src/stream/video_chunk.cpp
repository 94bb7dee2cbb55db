#include "stream/video_chunk.h"

#include <cstring>

#include "core/mutex.h"

namespace mrec::detail {

namespace {

// A disabled track sends black at its frame rate: the one buffer of the last size is shared
// rather than made again for every frame.
struct BlackFrames {
  Mutex mutex;
  std::shared_ptr<const std::vector<uint8_t>> newest MREC_GUARDED_BY(mutex);
  uint32_t width MREC_GUARDED_BY(mutex) = 0;
  uint32_t height MREC_GUARDED_BY(mutex) = 0;
};

}  // namespace

VideoChunk makeBlackFrame(const VideoChunk& like) {
  static BlackFrames cache;
  VideoChunk black = like;
  MutexLock lock(cache.mutex);
  if (!cache.newest || cache.width != like.width || cache.height != like.height) {
    auto bytes = std::make_shared<std::vector<uint8_t>>(i420Size(like.width, like.height));
    const size_t luma = size_t{like.width} * like.height;
    std::memset(bytes->data(), 16, luma);  // video-range black
    std::memset(bytes->data() + luma, 128, bytes->size() - luma);
    cache.newest = std::move(bytes);
    cache.width = like.width;
    cache.height = like.height;
  }
  black.i420 = cache.newest;
  return black;
}

}  // namespace mrec::detail
