#include <gtest/gtest.h>
#include <mrec/errors.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include "sources/wav_reader.h"
#include "support/event_log.h"

namespace mrec::detail {

namespace {
void le16(std::string& s, uint16_t v) {
  s += char(v & 0xFF);
  s += char(v >> 8);
}
void le32(std::string& s, uint32_t v) {
  le16(s, v & 0xFFFF);
  le16(s, v >> 16);
}

std::string wav(uint16_t tag, uint16_t channels, uint32_t rate, uint16_t bits,
                const std::string& data, bool extensible = false, uint32_t dataSize = 0xFFFFFFFE) {
  std::string fmt;
  le16(fmt, extensible ? 0xFFFE : tag);
  le16(fmt, channels);
  le32(fmt, rate);
  le32(fmt, rate * channels * bits / 8);
  le16(fmt, channels * bits / 8);
  le16(fmt, bits);
  if (extensible) {
    le16(fmt, 22);
    le16(fmt, bits);
    le32(fmt, 0);
    le16(fmt, tag);  // sub-format GUID begins with the tag
    fmt += std::string("\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71", 14);
  }
  std::string file = "RIFF";
  le32(file, 0);
  file += "WAVE";
  file += "LIST";  // an unrelated chunk, odd-sized, to be skipped with its pad byte
  le32(file, 3);
  file += std::string("abc\0", 4);
  file += "fmt ";
  le32(file, static_cast<uint32_t>(fmt.size()));
  file += fmt;
  file += "data";
  le32(file, dataSize == 0xFFFFFFFE ? static_cast<uint32_t>(data.size()) : dataSize);
  file += data;
  return file;
}

WavReader reader(const std::string& bytes) {
  return WavReader(std::make_unique<std::istringstream>(bytes));
}

}  // namespace

TEST(WavReader, Reads16BitStereo) {
  std::string data;
  le16(data, 0x4000);  // 0.5
  le16(data, 0xC000);  // -0.5
  le16(data, 0x7FFF);
  le16(data, 0x8000);  // -1
  auto r = reader(wav(1, 2, 44100, 16, data));
  EXPECT_EQ(r.format().sampleRate, 44100u);
  EXPECT_EQ(r.format().channels, 2u);
  float out[8] = {};
  EXPECT_EQ(r.read(out, 4), 2u);
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_FLOAT_EQ(out[1], -0.5f);
  EXPECT_FLOAT_EQ(out[3], -1.0f);
  EXPECT_EQ(r.read(out, 4), 0u);
}

TEST(WavReader, Reads24BitAndExtensibleFloat) {
  std::string data24 = std::string("\x00\x00\x40\x00\x00\xC0", 6);
  auto r24 = reader(wav(1, 1, 8000, 24, data24));
  float out[2] = {};
  ASSERT_EQ(r24.read(out, 2), 2u);
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_FLOAT_EQ(out[1], -0.5f);

  std::string dataF;
  const float value = 0.25f;
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  le32(dataF, bits);
  auto rf = reader(wav(3, 1, 96000, 32, dataF, /*extensible=*/true));
  ASSERT_EQ(rf.read(out, 2), 1u);
  EXPECT_FLOAT_EQ(out[0], 0.25f);
}

TEST(WavReader, NonFiniteFloatsReadAsSilenceAndLoudOnesAreKept) {
  std::string data;
  for (const float value : {std::nanf(""), std::numeric_limits<float>::infinity(), 2.5f}) {
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    le32(data, bits);
  }
  auto r = reader(wav(3, 1, 48000, 32, data));
  float out[3] = {1, 1, 1};
  ASSERT_EQ(r.read(out, 3), 3u);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_EQ(out[2], 2.5f) << "float files may go past full scale; that is not damage";
}

TEST(WavReader, StreamingSizeReadsToTheEndAndPartialFramesAreDropped) {
  std::string data;
  le16(data, 1);
  le16(data, 2);
  data += 'x';  // half a sample at the end
  auto r = reader(wav(1, 1, 8000, 16, data, false, 0xFFFFFFFF));
  float out[4] = {};
  EXPECT_EQ(r.read(out, 4), 2u);
  EXPECT_EQ(r.read(out, 4), 0u);
}

TEST(WavReader, MalformedAndUnsupportedFiles) {
  EXPECT_EQ(test::thrownName([] { reader("RIFX"); }), "EncodingError");
  EXPECT_EQ(test::thrownName([] { reader(std::string("RIFF\0\0\0\0WAVEdata\0\0\0\0", 20)); }),
            "EncodingError");
  EXPECT_EQ(test::thrownName([] { reader(wav(1, 0, 8000, 16, "")); }), "EncodingError");
  EXPECT_EQ(test::thrownName([] { reader(wav(1, 1, 0, 16, "")); }), "EncodingError");
  EXPECT_EQ(test::thrownName([] { reader(wav(2, 1, 8000, 4, "")); }), "NotSupportedError");
  EXPECT_EQ(test::thrownName([] { reader(wav(1, 1, 8000, 12, "")); }), "NotSupportedError");
  EXPECT_EQ(test::thrownName([] { reader(wav(3, 1, 8000, 16, "")); }), "NotSupportedError");
}

// A 96 kB file claiming 4294967295 Hz once made a recording allocate gigabytes of buffers.
TEST(WavReader, ImplausibleRatesAndChannelCountsAreDamage) {
  const std::string samples(96000, '\0');
  EXPECT_EQ(test::thrownName([&] { reader(wav(1, 1, 4294967295u, 16, samples)); }),
            "EncodingError");
  EXPECT_EQ(test::thrownName([&] { reader(wav(1, 1, 768001, 16, samples)); }), "EncodingError");
  EXPECT_EQ(test::thrownName([&] { reader(wav(1, 65, 48000, 16, samples)); }), "EncodingError");
  EXPECT_EQ(reader(wav(1, 1, 768000, 16, samples)).format().sampleRate, 768000u);
  EXPECT_EQ(reader(wav(1, 64, 8000, 16, samples)).format().channels, 64u);
}

// A WAV with no samples is an error to say, not a recording of nothing.
TEST(WavReader, AFileWithNoSamplesIsAnError) {
  EXPECT_EQ(test::thrownName([] { reader(wav(1, 1, 48000, 16, "")); }), "EncodingError");
  EXPECT_EQ(test::thrownName([] { reader(wav(1, 1, 48000, 16, "", false, 0xFFFFFFFF)); }),
            "EncodingError");
  EXPECT_EQ(reader(wav(1, 1, 48000, 16, std::string(2, '\0'))).format().channels, 1u);
}

}  // namespace mrec::detail
