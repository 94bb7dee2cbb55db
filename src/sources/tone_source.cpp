// createToneTrack: a sine tone, the native counterpart of an OscillatorNode routed to a
// MediaStreamAudioDestinationNode.
#include <cmath>
#include <numbers>
#include <sstream>

#include "mrec/sources.h"
#include "sources/rendered_audio_source.h"
#include "stream/track_state.h"

namespace mrec {

namespace {

class ToneSource final : public detail::RenderedAudioSource {
 public:
  explicit ToneSource(const ToneOptions& options)
      : RenderedAudioSource(options.sampleRate, options.channelCount, options.realtime),
        amplitude_(options.amplitude),
        phaseStep_(2 * std::numbers::pi * options.frequency / options.sampleRate) {
    if (options.durationSeconds)
      remainingFrames_ =
          static_cast<uint64_t>(std::llround(*options.durationSeconds * options.sampleRate));
  }

  MediaTrackSettings settings() const override {
    MediaTrackSettings settings;
    settings.deviceId = "tone";
    settings.sampleRate = sampleRate();
    settings.channelCount = channels();
    return settings;
  }

 protected:
  uint32_t render(float* out, uint32_t frames) override {
    if (remainingFrames_) {
      frames = static_cast<uint32_t>(std::min<uint64_t>(frames, *remainingFrames_));
      *remainingFrames_ -= frames;
    }
    // A rotating phasor: two multiplies per sample instead of a sin(). Each call starts from
    // the exact phase, so rounding never builds up beyond one chunk, and the phase is kept in
    // [0, 2π) so that precision does not decay over hours.
    double re = std::cos(phase_), im = std::sin(phase_);
    for (uint32_t i = 0; i < frames; ++i) {
      const auto value = static_cast<float>(amplitude_ * im);
      const double nextRe = re * stepRe_ - im * stepIm_;
      im = im * stepRe_ + re * stepIm_;
      re = nextRe;
      for (uint32_t c = 0; c < channels(); ++c) *out++ = value;
    }
    phase_ = std::fmod(phase_ + phaseStep_ * frames, 2 * std::numbers::pi);
    return frames;
  }

 private:
  const double amplitude_;
  const double phaseStep_;
  const double stepRe_ = std::cos(phaseStep_), stepIm_ = std::sin(phaseStep_);
  double phase_ = 0;
  std::optional<uint64_t> remainingFrames_;
};

std::string toneLabel(double frequency) {
  std::ostringstream label;
  label << "Tone " << frequency << " Hz";
  return label.str();
}

}  // namespace

std::shared_ptr<MediaStreamTrack> createToneTrack(const ToneOptions& options) {
  if (options.sampleRate < 8000 || options.sampleRate > 384000)
    throw TypeError("createToneTrack: sampleRate must be within 8000-384000 Hz");
  if (options.channelCount == 0 || options.channelCount > 8)
    throw TypeError("createToneTrack: channelCount must be within 1-8");
  if (!std::isfinite(options.frequency) || !std::isfinite(options.amplitude))
    throw TypeError("createToneTrack: frequency and amplitude must be finite");
  if (options.durationSeconds && !(*options.durationSeconds >= 0))
    throw TypeError("createToneTrack: durationSeconds must not be negative");

  auto source = std::make_shared<ToneSource>(options);
  auto state = std::make_shared<detail::TrackState>("audio", toneLabel(options.frequency), source);
  source->addTrack(state);
  auto track = detail::Access::makeTrack(std::move(state));
  detail::RenderedAudioSource::run(std::move(source));
  return track;
}

}  // namespace mrec
