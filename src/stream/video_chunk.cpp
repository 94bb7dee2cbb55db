#include "stream/video_chunk.h"

#include <cstring>
#include <mutex>

namespace mrec::detail {

VideoChunk makeBlackFrame(const VideoChunk& like) {
  // A disabled track sends black at its frame rate: the one buffer of the last size is
  // shared rather than made again for every frame.
  static std::mutex mutex;
  static std::shared_ptr<const std::vector<uint8_t>> cached;
  static uint32_t cachedWidth = 0, cachedHeight = 0;
  VideoChunk black = like;
  std::lock_guard lock(mutex);
  if (!cached || cachedWidth != like.width || cachedHeight != like.height) {
    auto bytes = std::make_shared<std::vector<uint8_t>>(i420Size(like.width, like.height));
    const size_t luma = size_t{like.width} * like.height;
    std::memset(bytes->data(), 16, luma);  // video-range black
    std::memset(bytes->data() + luma, 128, bytes->size() - luma);
    cached = std::move(bytes);
    cachedWidth = like.width;
    cachedHeight = like.height;
  }
  black.i420 = cached;
  return black;
}

}  // namespace mrec::detail
