#include "recorder/audio_track_recorder.h"

#include "core/media_time.h"

namespace mrec::detail {

std::unique_ptr<AudioTrackRecorder> AudioTrackRecorder::create(const AudioEncoderConfig& config,
                                                               std::string& error,
                                                               const EncoderFactory& makeEncoder) {
  auto encoder = makeEncoder(config, error);
  if (!encoder) return nullptr;
  return std::unique_ptr<AudioTrackRecorder>(new AudioTrackRecorder(std::move(encoder)));
}

AudioTrackRecorder::AudioTrackRecorder(std::unique_ptr<AudioEncoder> encoder)
    : encoder_(std::move(encoder)) {}

const float* AudioTrackRecorder::mapChannels(const AudioChunk& chunk) {
  const uint32_t to = encoder_->channels();
  if (chunk.channels == to) return chunk.samples->data();
  // Mono is copied to every channel; more channels are averaged into fewer.
  mapped_.assign(size_t{chunk.frames} * to, 0.0f);
  const float* in = chunk.samples->data();
  for (uint32_t f = 0; f < chunk.frames; ++f) {
    float* frame = &mapped_[size_t{f} * to];
    const float* source = in + size_t{f} * chunk.channels;
    if (chunk.channels == 1) {
      for (uint32_t c = 0; c < to; ++c) frame[c] = source[0];
    } else if (to == 1) {
      float sum = 0;
      for (uint32_t c = 0; c < chunk.channels; ++c) sum += source[c];
      frame[0] = sum / static_cast<float>(chunk.channels);
    } else {
      for (uint32_t c = 0; c < to; ++c) frame[c] = c < chunk.channels ? source[c] : 0.0f;
    }
  }
  return mapped_.data();
}

bool AudioTrackRecorder::process(const AudioChunk& chunk, std::vector<EncodedPacket>& out) {
  if (chunk.frames == 0) return true;
  const float* samples = mapChannels(chunk);
  const uint32_t rate = encoder_->sampleRate();
  if (chunk.sampleRate == rate && !resampler_) return encoder_->encode(samples, chunk.frames, out);

  if (!resampler_ || resampler_->inRate() != chunk.sampleRate) {
    // A change of input rate (a generator's choice): what the old filter holds goes first.
    resampled_.clear();
    if (resampler_) resampler_->drain(resampled_);
    if (!resampled_.empty() &&
        !encoder_->encode(resampled_.data(),
                          static_cast<uint32_t>(resampled_.size() / encoder_->channels()), out))
      return false;
    resampler_.reset();
    if (chunk.sampleRate != rate)
      resampler_ = std::make_unique<Resampler>(encoder_->channels(), chunk.sampleRate, rate);
    else
      return encoder_->encode(samples, chunk.frames, out);
  }
  resampled_.clear();
  resampler_->process(samples, chunk.frames, resampled_);
  return encoder_->encode(resampled_.data(),
                          static_cast<uint32_t>(resampled_.size() / encoder_->channels()), out);
}

bool AudioTrackRecorder::finish(std::vector<EncodedPacket>& out) {
  if (resampler_) {
    resampled_.clear();
    resampler_->drain(resampled_);
    if (!encoder_->encode(resampled_.data(),
                          static_cast<uint32_t>(resampled_.size() / encoder_->channels()), out))
      return false;
  }
  return encoder_->finish(out);
}

int64_t AudioTrackRecorder::microsUntilPacket() const {
  return unitsToMicrosRoundedUp(encoder_->samplesUntilPacket(), encoder_->sampleRate());
}

}  // namespace mrec::detail
