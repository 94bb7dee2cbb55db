// Uncompressed 32-bit float PCM in packets of 20 ms (WebM's A_PCM/FLOAT/IEEE).
#pragma once

#include "codecs/audio_encoder.h"

namespace mrec::detail {

std::unique_ptr<AudioEncoder> makePcmEncoder(const AudioEncoderConfig& config, std::string& error);

}  // namespace mrec::detail
