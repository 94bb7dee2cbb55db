// The limit: a 16-bit PCM WAV file encoded by libopus alone, with mrec's settings (the
// single-stream opus_encoder_create API, OPUS_APPLICATION_AUDIO, unconstrained VBR at the
// given bitrate, complexity 10, 20 ms frames, float input), packets counted and dropped.
// No container: what mrec adds on top of this is its own cost.
//
//   libopus_alone IN.wav [BITRATE]
#include <opus/opus.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

uint32_t le32(const char* p) {
  return uint32_t(uint8_t(p[0])) | uint32_t(uint8_t(p[1])) << 8 | uint32_t(uint8_t(p[2])) << 16 |
         uint32_t(uint8_t(p[3])) << 24;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: libopus_alone IN.wav [BITRATE]\n";
    return 2;
  }
  const int bitrate = argc > 2 ? std::stoi(argv[2]) : 128000;
  std::ifstream in(argv[1], std::ios::binary);
  char riff[12];
  if (!in.read(riff, 12) || std::memcmp(riff, "RIFF", 4) != 0) {
    std::cerr << "not a WAV file\n";
    return 1;
  }
  int channels = 0;
  uint32_t rate = 0;
  char header[8];
  while (in.read(header, 8)) {
    const uint32_t size = le32(header + 4);
    if (std::memcmp(header, "fmt ", 4) == 0) {
      std::vector<char> fmt(size + (size & 1));
      in.read(fmt.data(), std::streamsize(fmt.size()));
      channels = uint8_t(fmt[2]);
      rate = le32(fmt.data() + 4);
      if (uint8_t(fmt[14]) != 16) {
        std::cerr << "16-bit PCM only\n";
        return 1;
      }
    } else if (std::memcmp(header, "data", 4) == 0) {
      break;
    } else {
      in.seekg(size + (size & 1), std::ios::cur);
    }
  }
  if (rate != 48000 || channels < 1 || channels > 2) {
    std::cerr << "48 kHz mono or stereo only\n";
    return 1;
  }
  int error = 0;
  OpusEncoder* encoder = opus_encoder_create(48000, channels, OPUS_APPLICATION_AUDIO, &error);
  opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitrate));
  opus_encoder_ctl(encoder, OPUS_SET_VBR(1));
  opus_encoder_ctl(encoder, OPUS_SET_VBR_CONSTRAINT(0));
  opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(10));

  constexpr int kFrame = 960;
  std::vector<int16_t> pcm(size_t{kFrame} * channels);
  std::vector<float> frame(pcm.size());
  std::vector<unsigned char> packet(4000);
  uint64_t bytes = 0, packets = 0;
  while (true) {
    in.read(reinterpret_cast<char*>(pcm.data()), std::streamsize(pcm.size() * 2));
    const auto got = size_t(in.gcount()) / 2;
    if (got == 0) break;
    for (size_t i = 0; i < frame.size(); ++i) frame[i] = i < got ? float(pcm[i]) / 32768.0f : 0.0f;
    const int n =
        opus_encode_float(encoder, frame.data(), kFrame, packet.data(), int(packet.size()));
    if (n < 0) {
      std::cerr << "opus_encode_float: " << opus_strerror(n) << "\n";
      return 1;
    }
    bytes += uint64_t(n);
    ++packets;
    if (got < pcm.size()) break;
  }
  opus_encoder_destroy(encoder);
  std::printf("%llu packets, %llu bytes\n", static_cast<unsigned long long>(packets),
              static_cast<unsigned long long>(bytes));
  return 0;
}
