// Turns one audio track's chunks into encoded packets: channel mapping, resampling to the
// encoder's rate, encoding. A pure unit run by the recording's worker.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codecs/audio_encoder.h"
#include "codecs/resampler.h"
#include "stream/audio_chunk.h"

namespace mrec::detail {

class AudioTrackRecorder {
 public:
  /// `config.inputSampleRate` and `config.channels` are the first media's format; later
  /// chunks in another format are converted to it. Returns null and sets `error` on failure.
  using EncoderFactory =
      std::function<std::unique_ptr<AudioEncoder>(const AudioEncoderConfig&, std::string&)>;
  /// `makeEncoder`: makeAudioEncoder, or what a test puts around it.
  static std::unique_ptr<AudioTrackRecorder> create(
      const AudioEncoderConfig& config, std::string& error,
      const EncoderFactory& makeEncoder = makeAudioEncoder);

  const AudioEncoder& encoder() const { return *encoder_; }
  bool process(const AudioChunk& chunk, std::vector<EncodedPacket>& out);
  bool finish(std::vector<EncodedPacket>& out);
  /// Input still to come before the encoder's next packet, in microseconds (rounded up).
  int64_t microsUntilPacket() const;
  const std::string& lastError() const { return encoder_->lastError(); }

 private:
  explicit AudioTrackRecorder(std::unique_ptr<AudioEncoder> encoder);
  const float* mapChannels(const AudioChunk& chunk);

  std::unique_ptr<AudioEncoder> encoder_;
  std::unique_ptr<Resampler> resampler_;
  std::vector<float> mapped_;
  std::vector<float> resampled_;
};

}  // namespace mrec::detail
