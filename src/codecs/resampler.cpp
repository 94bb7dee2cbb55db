#include "codecs/resampler.h"

#include <speex/speex_resampler.h>

#include <stdexcept>

namespace mrec::detail {

Resampler::Resampler(uint32_t channels, uint32_t inRate, uint32_t outRate)
    : channels_(channels), inRate_(inRate), outRate_(outRate) {
  int error = 0;
  state_ = speex_resampler_init(channels, inRate, outRate, SPEEX_RESAMPLER_QUALITY_DESKTOP, &error);
  if (!state_) throw std::runtime_error(speex_resampler_strerror(error));
  speex_resampler_skip_zeros(state_);
}

Resampler::~Resampler() {
  speex_resampler_destroy(state_);
}

void Resampler::run(const float* in, uint32_t frames, std::vector<float>& out) {
  // Room for every frame the call can make, plus slack for the filter's phase.
  const uint64_t room = uint64_t{frames} * outRate_ / inRate_ + 16;
  size_t offset = out.size();
  out.resize(offset + room * channels_);
  spx_uint32_t inLen = frames;
  spx_uint32_t outLen = static_cast<spx_uint32_t>(room);
  speex_resampler_process_interleaved_float(state_, in, &inLen, out.data() + offset, &outLen);
  out.resize(offset + size_t{outLen} * channels_);
  outputFrames_ += outLen;
}

void Resampler::process(const float* in, uint32_t frames, std::vector<float>& out) {
  inputFrames_ += frames;
  run(in, frames, out);
}

void Resampler::drain(std::vector<float>& out) {
  const uint64_t expected = (inputFrames_ * outRate_ + inRate_ / 2) / inRate_;
  const uint32_t chunk = static_cast<uint32_t>(speex_resampler_get_input_latency(state_)) + 1;
  const std::vector<float> zeros(size_t{chunk} * channels_, 0.0f);
  // Zeros push the filter's tail out; a few rounds cover any latency.
  for (int round = 0; round < 8 && outputFrames_ < expected; ++round) run(zeros.data(), chunk, out);
  if (outputFrames_ > expected) {
    out.resize(out.size() - size_t(outputFrames_ - expected) * channels_);
    outputFrames_ = expected;
  }
}

}  // namespace mrec::detail
