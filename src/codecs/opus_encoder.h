// Opus through libopus' single-stream API (mono and stereo): the multistream API, which
// ffmpeg and libopusenc use, costs a CPUID per frame in Debian's build.
#pragma once

#include "codecs/audio_encoder.h"

namespace mrec::detail {

/// Opus' own limits on the target bitrate; the recorder's attribute keeps what was asked.
constexpr uint32_t kOpusMinBitsPerSecond = 6000;
constexpr uint32_t kOpusMaxBitsPerSecond = 510000;
constexpr uint32_t kOpusSampleRate = 48000;
constexpr uint32_t kOpusFrameSamples = 960;  ///< 20 ms at 48 kHz

std::unique_ptr<AudioEncoder> makeOpusEncoder(const AudioEncoderConfig& config, std::string& error);

/// The OpusHead packet of RFC 7845 §5.1 (mapping family 0).
std::vector<uint8_t> makeOpusHead(uint32_t channels, uint32_t preSkip, uint32_t inputSampleRate);

}  // namespace mrec::detail
