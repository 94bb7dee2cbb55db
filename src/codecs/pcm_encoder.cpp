#include "codecs/pcm_encoder.h"

#include <algorithm>
#include <cstring>

namespace mrec::detail {

namespace {

constexpr uint32_t kPacketsPerSecond = 50;  // 20 ms, the same cadence as Opus

class PcmAudioEncoder final : public AudioEncoder {
 public:
  explicit PcmAudioEncoder(const AudioEncoderConfig& config)
      : config_(config),
        packetFrames_(std::max<uint32_t>(1, config.inputSampleRate / kPacketsPerSecond)) {}

  uint32_t sampleRate() const override { return config_.inputSampleRate; }
  uint32_t channels() const override { return config_.channels; }
  uint32_t preSkip() const override { return 0; }
  std::vector<uint8_t> codecPrivate() const override { return {}; }
  const std::string& lastError() const override { return error_; }
  uint32_t samplesUntilPacket() const override {
    return packetFrames_ - static_cast<uint32_t>(pending_.size() / config_.channels);
  }

  bool encode(const float* samples, uint32_t frames, std::vector<EncodedPacket>& out) override {
    const size_t packetValues = size_t{packetFrames_} * config_.channels;
    const float* end = samples + size_t{frames} * config_.channels;
    while (samples < end) {
      const size_t take = std::min<size_t>(packetValues - pending_.size(), end - samples);
      pending_.insert(pending_.end(), samples, samples + take);
      samples += take;
      if (pending_.size() == packetValues) emit(out);
    }
    return true;
  }

  bool finish(std::vector<EncodedPacket>& out) override {
    if (!pending_.empty()) emit(out);
    if (!out.empty()) out.back().endOfStream = true;
    return true;
  }

 private:
  void emit(std::vector<EncodedPacket>& out) {
    EncodedPacket packet;
    packet.data.resize(pending_.size() * sizeof(float));
    // Matroska's A_PCM/FLOAT/IEEE is little-endian, as is every machine we build for.
    std::memcpy(packet.data.data(), pending_.data(), packet.data.size());
    packet.timestamp = static_cast<int64_t>(encodedFrames_);
    packet.duration = static_cast<uint32_t>(pending_.size() / config_.channels);
    encodedFrames_ += packet.duration;
    pending_.clear();
    out.push_back(std::move(packet));
  }

  const AudioEncoderConfig config_;
  const uint32_t packetFrames_;
  std::vector<float> pending_;
  uint64_t encodedFrames_ = 0;
  std::string error_;
};

}  // namespace

std::unique_ptr<AudioEncoder> makePcmEncoder(const AudioEncoderConfig& config, std::string& error) {
  const uint32_t maxChannels = formatOf(AudioCodec::Pcm).maxChannels;
  if (config.channels < 1 || config.channels > maxChannels) {
    error = "PCM records 1-" + std::to_string(maxChannels) + " channels, not " +
            std::to_string(config.channels);
    return nullptr;
  }
  return std::make_unique<PcmAudioEncoder>(config);
}

}  // namespace mrec::detail
