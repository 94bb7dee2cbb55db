#include "codecs/opus_encoder.h"

#include <opus/opus.h>

#include <algorithm>
#include <array>

namespace mrec::detail {

namespace {

// RFC 6716 §3.2.1: a frame is at most 1275 bytes; 20 ms is one frame.
constexpr int kMaxPacketBytes = 1275;
constexpr int kComplexity = 10;

class OpusAudioEncoder final : public AudioEncoder {
 public:
  OpusAudioEncoder(OpusEncoder* encoder, const AudioEncoderConfig& config, uint32_t preSkip)
      : encoder_(encoder), config_(config), preSkip_(preSkip) {
    frame_.reserve(size_t{kOpusFrameSamples} * config.channels);
  }
  ~OpusAudioEncoder() override { opus_encoder_destroy(encoder_); }

  uint32_t sampleRate() const override { return kOpusSampleRate; }
  uint32_t channels() const override { return config_.channels; }
  uint32_t preSkip() const override { return preSkip_; }
  std::vector<uint8_t> codecPrivate() const override {
    return makeOpusHead(config_.channels, preSkip_, config_.inputSampleRate);
  }
  const std::string& lastError() const override { return error_; }
  uint32_t samplesUntilPacket() const override {
    return kOpusFrameSamples - static_cast<uint32_t>(frame_.size() / config_.channels);
  }

  bool encode(const float* samples, uint32_t frames, std::vector<EncodedPacket>& out) override {
    const size_t frameValues = size_t{kOpusFrameSamples} * config_.channels;
    const float* end = samples + size_t{frames} * config_.channels;
    inputSamples_ += frames;
    while (samples < end) {
      // Whole frames are encoded where they lie; only a frame split across calls is copied.
      if (frame_.empty() && static_cast<size_t>(end - samples) >= frameValues) {
        if (!encodeFrame(samples, out)) return false;
        samples += frameValues;
        continue;
      }
      const size_t take = std::min<size_t>(frameValues - frame_.size(), end - samples);
      frame_.insert(frame_.end(), samples, samples + take);
      samples += take;
      if (frame_.size() == frameValues && !encodeFrame(out)) return false;
    }
    return true;
  }

  bool finish(std::vector<EncodedPacket>& out) override {
    // Enough padded frames that the decoder, after dropping the pre-skip, has every input
    // sample; the excess is signalled as padding (Ogg: end granule; WebM: DiscardPadding).
    const uint64_t needed = inputSamples_ + preSkip_;
    const size_t frameValues = size_t{kOpusFrameSamples} * config_.channels;
    const size_t firstNew = out.size();
    while (encodedSamples_ < needed) {
      frame_.resize(frameValues, 0.0f);
      if (!encodeFrame(out)) return false;
    }
    if (out.size() == firstNew) return true;  // cannot happen: pre-skip > 0 forces a frame
    out.back().endOfStream = true;
    out.back().discardPadding = static_cast<uint32_t>(encodedSamples_ - needed);
    return true;
  }

 private:
  bool encodeFrame(std::vector<EncodedPacket>& out) {
    const bool encoded = encodeFrame(frame_.data(), out);
    frame_.clear();
    return encoded;
  }

  bool encodeFrame(const float* frame, std::vector<EncodedPacket>& out) {
    const int bytes =
        opus_encode_float(encoder_, frame, kOpusFrameSamples, scratch_.data(), kMaxPacketBytes);
    if (bytes < 0) {
      error_ = std::string("Opus encoder failed: ") + opus_strerror(bytes);
      return false;
    }
    EncodedPacket packet;
    packet.data.assign(scratch_.begin(), scratch_.begin() + bytes);
    packet.timestamp = static_cast<int64_t>(encodedSamples_);
    packet.duration = kOpusFrameSamples;
    encodedSamples_ += kOpusFrameSamples;
    out.push_back(std::move(packet));
    return true;
  }

  OpusEncoder* const encoder_;
  const AudioEncoderConfig config_;
  const uint32_t preSkip_;
  std::vector<float> frame_;
  std::array<uint8_t, kMaxPacketBytes> scratch_{};  ///< a packet is sized once it is known
  uint64_t inputSamples_ = 0;
  uint64_t encodedSamples_ = 0;
  std::string error_;
};

void putLe16(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}
void putLe32(std::vector<uint8_t>& out, uint32_t v) {
  putLe16(out, v & 0xFFFF);
  putLe16(out, v >> 16);
}

}  // namespace

std::vector<uint8_t> makeOpusHead(uint32_t channels, uint32_t preSkip, uint32_t inputSampleRate) {
  std::vector<uint8_t> head{'O', 'p', 'u', 's', 'H',
                            'e', 'a', 'd', 1,   static_cast<uint8_t>(channels)};
  putLe16(head, preSkip);
  putLe32(head, inputSampleRate);
  putLe16(head, 0);   // output gain
  head.push_back(0);  // channel mapping family 0: mono or stereo, one stream
  return head;
}

// The Opus Specific Box of "Encapsulation of Opus in ISO Base Media File Format" §4.3.2:
// OpusHead's fields from Version on, big-endian, Version 0.
std::vector<uint8_t> opusMp4Config(const std::vector<uint8_t>& opusHead) {
  constexpr size_t kFixedHeadBytes = 19;
  if (opusHead.size() < kFixedHeadBytes) return {};
  const auto le16 = [&](size_t at) { return opusHead[at] | opusHead[at + 1] << 8; };
  std::vector<uint8_t> dops{0, opusHead[9]};  // Version, OutputChannelCount
  const uint32_t preSkip = le16(10);
  const uint32_t inputRate = le16(12) | uint32_t(le16(14)) << 16;
  const uint32_t gain = le16(16);
  dops.push_back(static_cast<uint8_t>(preSkip >> 8));
  dops.push_back(static_cast<uint8_t>(preSkip));
  for (const int shift : {24, 16, 8, 0}) dops.push_back(static_cast<uint8_t>(inputRate >> shift));
  dops.push_back(static_cast<uint8_t>(gain >> 8));
  dops.push_back(static_cast<uint8_t>(gain));
  dops.insert(dops.end(), opusHead.begin() + 18, opusHead.end());  // mapping family and table
  return dops;
}

std::unique_ptr<AudioEncoder> makeOpusEncoder(const AudioEncoderConfig& config,
                                              std::string& error) {
  if (config.channels < 1 || config.channels > formatOf(AudioCodec::Opus).maxChannels) {
    error = "Opus records 1 or 2 channels, not " + std::to_string(config.channels);
    return nullptr;
  }
  int status = OPUS_OK;
  OpusEncoder* encoder = opus_encoder_create(kOpusSampleRate, static_cast<int>(config.channels),
                                             OPUS_APPLICATION_AUDIO, &status);
  if (status != OPUS_OK || !encoder) {
    error = std::string("cannot create the Opus encoder: ") + opus_strerror(status);
    return nullptr;
  }
  const auto bitrate = static_cast<opus_int32>(
      std::clamp(config.bitsPerSecond, kOpusMinBitsPerSecond, kOpusMaxBitsPerSecond));
  const bool constant = config.constantBitrate;
  opus_int32 lookahead = 0;
  if (opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitrate)) != OPUS_OK ||
      opus_encoder_ctl(encoder, OPUS_SET_VBR(constant ? 0 : 1)) != OPUS_OK ||
      // libopus constrains VBR by default; "variable" asks for the real thing.
      opus_encoder_ctl(encoder, OPUS_SET_VBR_CONSTRAINT(0)) != OPUS_OK ||
      opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(kComplexity)) != OPUS_OK ||
      opus_encoder_ctl(encoder, OPUS_GET_LOOKAHEAD(&lookahead)) != OPUS_OK) {
    opus_encoder_destroy(encoder);
    error = "cannot configure the Opus encoder";
    return nullptr;
  }
  return std::make_unique<OpusAudioEncoder>(encoder, config, static_cast<uint32_t>(lookahead));
}

}  // namespace mrec::detail
