#include <gtest/gtest.h>
#include <opus/opus.h>

#include <cmath>

#include "codecs/opus_encoder.h"
#include "codecs/resampler.h"

namespace mrec::detail {

TEST(OpusEncoder, PaddingMakesTheDecodedLengthExact) {
  for (uint32_t input : {0u, 1u, 959u, 960u, 48000u, 12345u}) {
    SCOPED_TRACE(input);
    std::string error;
    auto encoder = makeOpusEncoder({AudioCodec::Opus, 48000, 1, 64000, false}, error);
    ASSERT_TRUE(encoder) << error;
    EXPECT_EQ(encoder->preSkip(), 312u);
    std::vector<float> samples(input, 0.1f);
    std::vector<EncodedPacket> packets;
    ASSERT_TRUE(encoder->encode(samples.data(), input, packets));
    ASSERT_TRUE(encoder->finish(packets));
    ASSERT_FALSE(packets.empty());
    uint64_t total = 0;
    for (size_t i = 0; i < packets.size(); ++i) {
      EXPECT_EQ(packets[i].timestamp, int64_t(total));
      EXPECT_EQ(packets[i].endOfStream, i + 1 == packets.size());
      total += packets[i].duration;
    }
    EXPECT_EQ(total - packets.back().discardPadding, input + 312u);
    EXPECT_LT(packets.back().discardPadding, 960u);
    // libopus itself decodes every packet.
    int status = 0;
    OpusDecoder* decoder = opus_decoder_create(48000, 1, &status);
    std::vector<float> pcm(5760);
    for (const auto& p : packets)
      EXPECT_EQ(opus_decode_float(decoder, p.data.data(), int(p.data.size()), pcm.data(), 5760, 0),
                960);
    opus_decoder_destroy(decoder);
  }
}

TEST(OpusEncoder, RefusesMoreThanTwoChannels) {
  std::string error;
  EXPECT_FALSE(makeOpusEncoder({AudioCodec::Opus, 48000, 3, 64000, false}, error));
  EXPECT_NE(error.find("3"), std::string::npos);
}

TEST(OpusHead, FollowsRfc7845) {
  const auto head = makeOpusHead(2, 312, 44100);
  ASSERT_EQ(head.size(), 19u);
  EXPECT_EQ(std::string(head.begin(), head.begin() + 8), "OpusHead");
  EXPECT_EQ(head[8], 1);
  EXPECT_EQ(head[9], 2);
  EXPECT_EQ(head[10] | head[11] << 8, 312);
  EXPECT_EQ(head[12] | head[13] << 8 | head[14] << 16, 44100);
  EXPECT_EQ(head[18], 0);
}

TEST(Resampler, OutputHasTheExactLengthAndKeepsThePitch) {
  for (uint32_t inRate : {8000u, 22050u, 44100u, 96000u}) {
    SCOPED_TRACE(inRate);
    Resampler resampler(1, inRate, 48000);
    std::vector<float> out;
    const uint32_t total = inRate * 2 + 17;
    std::vector<float> in(total);
    for (uint32_t i = 0; i < total; ++i)
      in[i] = float(0.5 * std::sin(2 * M_PI * 1000 * i / inRate));
    for (uint32_t offset = 0; offset < total; offset += 441)
      resampler.process(in.data() + offset, std::min(441u, total - offset), out);
    resampler.drain(out);
    EXPECT_EQ(out.size(), (uint64_t(total) * 48000 + inRate / 2) / inRate);
    // The first sample lines up with the input: a sine that starts at 0 rising.
    double crossings = 0;
    for (size_t i = 1000; i + 1000 < out.size(); ++i)
      if (out[i - 1] < 0 && out[i] >= 0) ++crossings;
    EXPECT_NEAR(crossings / (double(out.size() - 2000) / 48000), 1000, 5);
  }
}

}  // namespace mrec::detail
