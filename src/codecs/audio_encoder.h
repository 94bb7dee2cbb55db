// The interface every audio encoder implements: a pure unit, no threads, no I/O.
// Failures are values (false + lastError()), never exceptions: encoders run on the
// recorder's worker thread, where a failure becomes the spec's error event.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "core/format_table.h"

namespace mrec::detail {

struct AudioEncoderConfig {
  AudioCodec codec = AudioCodec::Opus;
  uint32_t inputSampleRate = 48000;  ///< the source's rate (Opus records it in OpusHead)
  uint32_t channels = 1;
  uint32_t bitsPerSecond = 128000;
  bool constantBitrate = false;  ///< else variable (the spec's default)
};

class AudioEncoder {
 public:
  virtual ~AudioEncoder() = default;
  /// The rate encode() takes and timestamps count in (48000 for Opus).
  virtual uint32_t sampleRate() const = 0;
  virtual uint32_t channels() const = 0;
  /// Samples a decoder must drop at the start (the encoder's lookahead).
  virtual uint32_t preSkip() const = 0;
  /// The container's codec setup data (OpusHead for Opus; empty for PCM).
  virtual std::vector<uint8_t> codecPrivate() const = 0;
  /// Samples (per channel, at sampleRate()) still to come before the next packet can be made:
  /// what live input is worth waiting for before it is encoded.
  virtual uint32_t samplesUntilPacket() const = 0;

  /// Encodes interleaved samples; appends whole packets to `out`.
  virtual bool encode(const float* samples, uint32_t frames, std::vector<EncodedPacket>& out) = 0;
  /// Encodes what is buffered, padded; the last packet carries endOfStream and the padding to
  /// discard, so that the decoded length equals the input length exactly.
  virtual bool finish(std::vector<EncodedPacket>& out) = 0;
  virtual const std::string& lastError() const = 0;
};

/// The encoder of `config.codec`'s row; null and `error` set if it cannot be made.
std::unique_ptr<AudioEncoder> makeAudioEncoder(const AudioEncoderConfig& config,
                                               std::string& error);

}  // namespace mrec::detail
