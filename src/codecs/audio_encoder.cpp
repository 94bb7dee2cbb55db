#include "codecs/audio_encoder.h"

namespace mrec::detail {

std::unique_ptr<AudioEncoder> makeAudioEncoder(const AudioEncoderConfig& config,
                                               std::string& error) {
  return formatOf(config.codec).makeEncoder(config, error);
}

}  // namespace mrec::detail
