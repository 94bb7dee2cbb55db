#include "stream/audio_chunk.h"

namespace mrec::detail {

AudioChunk makeSilence(const AudioChunk& like) {
  AudioChunk silence = like;
  silence.samples =
      std::make_shared<const std::vector<float>>(size_t{like.frames} * like.channels, 0.0f);
  return silence;
}

}  // namespace mrec::detail
