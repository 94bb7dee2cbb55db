// AAC-LC through libavcodec's native encoder (there is no fdk-aac in Debian main). Built only
// with -DMREC_WITH_AAC=ON: Debian builds libavcodec under the GPL. The encoder's priming
// (initial_padding, 1024 samples) is the track's pre-skip and the last frame's padding is
// marked, so the container can trim both and the decoded length equals the input's.
#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>

#include "codecs/audio_encoder.h"
#include "codecs/avcodec_library.h"

namespace mrec::detail {

namespace {

// The sampling frequencies an AudioSpecificConfig can name by index (ISO/IEC 14496-3 §1.6.3.4);
// other input rates are resampled to 48 kHz.
constexpr std::array<uint32_t, 12> kAacRates{96000, 88200, 64000, 48000, 44100, 32000,
                                             24000, 22050, 16000, 12000, 11025, 8000};

uint32_t aacRate(uint32_t input) {
  return std::find(kAacRates.begin(), kAacRates.end(), input) != kAacRates.end() ? input : 48000;
}

class AacAudioEncoder final : public AudioEncoder {
 public:
  explicit AacAudioEncoder(const AudioEncoderConfig& config) : config_(config) {}
  ~AacAudioEncoder() override {
    if (!av_) return;
    av_->av_packet_free(&packet_);
    av_->av_frame_free(&frame_);
    av_->avcodec_free_context(&context_);
  }

  bool init(std::string& error) {
    av_ = avcodec(error);
    if (!av_) return false;
    // The encoder reports its average quantiser on stderr when it closes (AV_LOG_INFO); a
    // library must not print, so unless the program chose a level, only warnings are shown.
    // (libavutil has one log level and one callback per process, not one per context.)
    static std::once_flag quiet;
    std::call_once(quiet, [this] {
      if (av_->av_log_get_level() == AV_LOG_INFO) av_->av_log_set_level(AV_LOG_WARNING);
    });
    const AVCodec* codec = av_->avcodec_find_encoder(AV_CODEC_ID_AAC);
    context_ = codec ? av_->avcodec_alloc_context3(codec) : nullptr;
    if (!context_) {
      error = "libavcodec has no AAC encoder";
      return false;
    }
    context_->sample_fmt = AV_SAMPLE_FMT_FLTP;
    context_->sample_rate = static_cast<int>(aacRate(config_.inputSampleRate));
    context_->bit_rate = std::clamp<int64_t>(config_.bitsPerSecond, 8000, 512000);
    context_->profile = FF_PROFILE_AAC_LOW;
    context_->time_base = {1, context_->sample_rate};
    context_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // the AudioSpecificConfig, out of band
    av_->av_channel_layout_default(&context_->ch_layout, static_cast<int>(config_.channels));
    if (const int status = av_->avcodec_open2(context_, codec, nullptr); status < 0) {
      error = "the AAC encoder cannot be set up: " + avError(status);
      return false;
    }
    frame_ = av_->av_frame_alloc();
    packet_ = av_->av_packet_alloc();
    if (!frame_ || !packet_) {
      error = "out of memory";
      return false;
    }
    frame_->format = context_->sample_fmt;
    frame_->nb_samples = context_->frame_size;
    frame_->sample_rate = context_->sample_rate;
    av_->av_channel_layout_copy(&frame_->ch_layout, &context_->ch_layout);
    if (av_->av_frame_get_buffer(frame_, 0) < 0) {
      error = "out of memory";
      return false;
    }
    return true;
  }

  uint32_t sampleRate() const override { return static_cast<uint32_t>(context_->sample_rate); }
  uint32_t channels() const override { return config_.channels; }
  uint32_t preSkip() const override { return static_cast<uint32_t>(context_->initial_padding); }
  std::vector<uint8_t> codecPrivate() const override {
    return {context_->extradata, context_->extradata + context_->extradata_size};
  }
  const std::string& lastError() const override { return error_; }
  uint32_t samplesUntilPacket() const override {
    return static_cast<uint32_t>(context_->frame_size) - filled_;
  }

  bool encode(const float* samples, uint32_t frames, std::vector<EncodedPacket>& out) override {
    inputSamples_ += frames;
    const auto frameSize = static_cast<uint32_t>(context_->frame_size);
    const uint32_t channels = config_.channels;
    // A run at a time (to the end of the input or of the encoder's frame): one plane copy
    // per channel, a memcpy for mono, not a check and a store per sample.
    for (uint32_t f = 0; f < frames;) {
      if (filled_ == 0 && av_->av_frame_make_writable(frame_) < 0) return fail("out of memory");
      const uint32_t run = std::min(frames - f, frameSize - filled_);
      const float* from = samples + size_t{f} * channels;
      for (uint32_t c = 0; c < channels; ++c) {
        float* to = reinterpret_cast<float*>(frame_->data[c]) + filled_;
        if (channels == 1)
          std::memcpy(to, from, run * sizeof(float));
        else
          for (uint32_t i = 0; i < run; ++i) to[i] = from[size_t{i} * channels + c];
      }
      f += run;
      filled_ += run;
      if (filled_ == frameSize && !sendFrame(out)) return false;
    }
    return true;
  }

  bool finish(std::vector<EncodedPacket>& out) override {
    if (filled_ > 0) {  // the last frame, padded with silence
      for (uint32_t c = 0; c < config_.channels; ++c)
        std::fill_n(reinterpret_cast<float*>(frame_->data[c]) + filled_,
                    context_->frame_size - static_cast<int>(filled_), 0.0f);
      filled_ = static_cast<uint32_t>(context_->frame_size);
      if (!sendFrame(out)) return false;
    }
    const size_t firstNew = out.size();
    if (const int status = av_->avcodec_send_frame(context_, nullptr); status < 0)
      return fail("the AAC encoder cannot drain: " + avError(status));
    if (!receive(out)) return false;
    if (out.empty() || out.size() == firstNew) return true;
    const uint64_t needed = inputSamples_ + preSkip();
    out.back().endOfStream = true;
    out.back().discardPadding =
        encodedSamples_ > needed ? static_cast<uint32_t>(encodedSamples_ - needed) : 0;
    return true;
  }

 private:
  std::string avError(int code) const {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_->av_strerror(code, text, sizeof text);
    return text;
  }

  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  bool sendFrame(std::vector<EncodedPacket>& out) {
    frame_->pts = static_cast<int64_t>(sentSamples_);
    sentSamples_ += filled_;
    filled_ = 0;
    if (const int status = av_->avcodec_send_frame(context_, frame_); status < 0)
      return fail("the AAC encoder failed: " + avError(status));
    return receive(out);
  }

  bool receive(std::vector<EncodedPacket>& out) {
    while (true) {
      const int status = av_->avcodec_receive_packet(context_, packet_);
      if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return true;
      if (status < 0) return fail("the AAC encoder failed: " + avError(status));
      EncodedPacket packet;
      packet.data.assign(packet_->data, packet_->data + packet_->size);
      // Counted from the first encoded sample, priming included, as every encoder here.
      packet.timestamp = static_cast<int64_t>(encodedSamples_);
      packet.duration = static_cast<uint32_t>(context_->frame_size);
      encodedSamples_ += packet.duration;
      out.push_back(std::move(packet));
      av_->av_packet_unref(packet_);
    }
  }

  const AudioEncoderConfig config_;
  const AvcodecLibrary* av_ = nullptr;
  AVCodecContext* context_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* packet_ = nullptr;
  uint32_t filled_ = 0;  ///< samples per channel in frame_
  uint64_t inputSamples_ = 0, sentSamples_ = 0, encodedSamples_ = 0;
  std::string error_;
};

// An MPEG-4 descriptor's tag and one-byte length (every descriptor here is short).
void putDescriptor(std::vector<uint8_t>& out, uint8_t tag, const std::vector<uint8_t>& body) {
  out.push_back(tag);
  out.push_back(static_cast<uint8_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace

// The esds box body (ISO/IEC 14496-14 §5.6): an ES descriptor whose decoder configuration
// names MPEG-4 audio and carries the AudioSpecificConfig.
std::vector<uint8_t> aacMp4Config(const std::vector<uint8_t>& audioSpecificConfig) {
  std::vector<uint8_t> decoderSpecific;
  putDescriptor(decoderSpecific, 0x05, audioSpecificConfig);
  std::vector<uint8_t> decoderConfig{0x40,                                 // MPEG-4 audio
                                     0x15,                                 // audio stream
                                     0,    0, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // buffer, bitrates
  decoderConfig.insert(decoderConfig.end(), decoderSpecific.begin(), decoderSpecific.end());
  std::vector<uint8_t> es{0, 0, 0};  // ES_ID 0, no flags
  putDescriptor(es, 0x04, decoderConfig);
  putDescriptor(es, 0x06, {0x02});        // SL config: predefined for MP4
  std::vector<uint8_t> esds{0, 0, 0, 0};  // version and flags
  putDescriptor(esds, 0x03, es);
  return esds;
}

std::unique_ptr<AudioEncoder> makeAacEncoder(const AudioEncoderConfig& config, std::string& error) {
  if (config.channels < 1 || config.channels > formatOf(AudioCodec::Aac).maxChannels) {
    error = "AAC records 1 or 2 channels here, not " + std::to_string(config.channels);
    return nullptr;
  }
  auto encoder = std::make_unique<AacAudioEncoder>(config);
  if (!encoder->init(error)) return nullptr;
  return encoder;
}

bool aacEncoderAvailable(std::string& reason) {
  const AvcodecLibrary* av = avcodec(reason);
  if (!av) return false;
  if (!av->avcodec_find_encoder(AV_CODEC_ID_AAC)) {
    reason = "libavcodec has no AAC encoder";
    return false;
  }
  return true;
}

}  // namespace mrec::detail
