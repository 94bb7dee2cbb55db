#include "sources/wav_reader.h"

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "mrec/errors.h"

namespace mrec::detail {

namespace {

constexpr uint16_t kFormatPcm = 1;
constexpr uint16_t kFormatIeeeFloat = 3;
constexpr uint16_t kFormatExtensible = 0xFFFE;
// Writers that stream (sox, ffmpeg to a pipe) leave the sizes at these values.
constexpr uint32_t kUnknownSize = 0xFFFFFFFF;
// Beyond any real recording (DXD is 352.8 kHz, WAVE_FORMAT_EXTENSIBLE names 18 speakers): a
// header that claims more is damage, and believing it once cost gigabytes of buffers.
constexpr uint32_t kMaxSampleRate = 768000;
constexpr uint16_t kMaxChannels = 64;

uint16_t le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | p[1] << 8);
}
uint32_t le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

[[noreturn]] void malformed(const std::string& why) {
  throw DOMException("EncodingError", "not a well-formed WAV file: " + why);
}

bool readExact(std::istream& in, uint8_t* out, size_t size) {
  in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(size));
  return static_cast<size_t>(in.gcount()) == size;
}

SampleEncoding encodingOf(uint16_t tag, uint16_t bits) {
  if (tag == kFormatPcm) {
    switch (bits) {
      case 8:
        return SampleEncoding::U8;
      case 16:
        return SampleEncoding::S16;
      case 24:
        return SampleEncoding::S24;
      case 32:
        return SampleEncoding::S32;
    }
    throw DOMException("NotSupportedError", "WAV PCM with " + std::to_string(bits) +
                                                " bits per sample is not supported");
  }
  if (tag == kFormatIeeeFloat) {
    if (bits == 32) return SampleEncoding::F32;
    if (bits == 64) return SampleEncoding::F64;
    throw DOMException("NotSupportedError", "WAV float with " + std::to_string(bits) +
                                                " bits per sample is not supported");
  }
  throw DOMException("NotSupportedError", "WAV format tag " + std::to_string(tag) +
                                              " is not supported (only PCM and IEEE float are)");
}

}  // namespace

WavReader::WavReader(std::unique_ptr<std::istream> in) : in_(std::move(in)) {
  std::array<uint8_t, 12> riff{};
  if (!readExact(*in_, riff.data(), riff.size())) malformed("shorter than a RIFF header");
  if (std::memcmp(riff.data(), "RIFF", 4) != 0 || std::memcmp(riff.data() + 8, "WAVE", 4) != 0)
    malformed("no RIFF/WAVE signature");

  bool haveFormat = false;
  while (true) {
    std::array<uint8_t, 8> header{};
    if (!readExact(*in_, header.data(), header.size()))
      malformed(haveFormat ? "no data chunk" : "no fmt chunk");
    const uint32_t size = le32(header.data() + 4);
    if (std::memcmp(header.data(), "fmt ", 4) == 0) {
      if (size < 16 || size > 1024) malformed("fmt chunk of " + std::to_string(size) + " bytes");
      std::vector<uint8_t> fmt(size + (size & 1));
      if (!readExact(*in_, fmt.data(), fmt.size())) malformed("truncated fmt chunk");
      uint16_t tag = le16(&fmt[0]);
      const uint16_t channels = le16(&fmt[2]);
      const uint32_t rate = le32(&fmt[4]);
      const uint16_t blockAlign = le16(&fmt[12]);
      const uint16_t bits = le16(&fmt[14]);
      if (tag == kFormatExtensible) {
        if (size < 40) malformed("WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes");
        tag = le16(&fmt[24]);  // the sub-format GUID starts with the format tag
      }
      if (channels == 0 || channels > kMaxChannels)
        malformed(std::to_string(channels) + " channels (1 to " + std::to_string(kMaxChannels) +
                  " make sense)");
      if (rate == 0 || rate > kMaxSampleRate)
        malformed("sample rate " + std::to_string(rate) + " Hz (1 Hz to 768 kHz make sense)");
      format_.encoding = encodingOf(tag, bits);
      format_.channels = channels;
      format_.sampleRate = rate;
      if (blockAlign != channels * bytesPerSample(format_.encoding))
        malformed("block align " + std::to_string(blockAlign) + " does not match " +
                  std::to_string(channels) + " channels of " + std::to_string(bits) + " bits");
      haveFormat = true;
    } else if (std::memcmp(header.data(), "data", 4) == 0) {
      if (!haveFormat) malformed("data chunk before the fmt chunk");
      format_.dataBytes =
          (size == kUnknownSize || size == 0) ? std::numeric_limits<uint64_t>::max() : size;
      remainingBytes_ = format_.dataBytes;
      if (in_->peek() == std::char_traits<char>::eof())
        throw DOMException("EncodingError",
                           "the WAV file holds no audio (its data chunk is empty)");
      return;
    } else {
      // Chunks we do not need (LIST, fact, bext, ...) are skipped, padded to even size.
      in_->seekg(static_cast<std::streamoff>(size) + (size & 1), std::ios::cur);
      if (!*in_) malformed("truncated chunk");
    }
  }
}

uint32_t WavReader::read(float* out, uint32_t frames) {
  const size_t frameBytes = format_.channels * bytesPerSample(format_.encoding);
  const uint64_t wanted = std::min<uint64_t>(uint64_t{frames} * frameBytes, remainingBytes_);
  buffer_.resize(static_cast<size_t>(wanted));
  in_->read(reinterpret_cast<char*>(buffer_.data()), static_cast<std::streamsize>(wanted));
  const auto got = static_cast<size_t>(in_->gcount());
  const size_t whole = got / frameBytes;
  remainingBytes_ -= got;
  if (whole < frames) remainingBytes_ = 0;  // end of file: a partial last frame is dropped
  convertToFloat(format_.encoding, buffer_.data(), whole * format_.channels, out);
  if (format_.encoding == SampleEncoding::F32 || format_.encoding == SampleEncoding::F64) {
    // A float file may hold NaN or infinities; they reach no encoder (fuzz/ checks it).
    for (size_t i = 0; i < whole * format_.channels; ++i)
      if (!std::isfinite(out[i])) out[i] = 0.0f;
  }
  return static_cast<uint32_t>(whole);
}

}  // namespace mrec::detail
