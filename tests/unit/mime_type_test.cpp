#include <gtest/gtest.h>

#include "recorder/mime_type.h"

namespace mrec::detail {

TEST(MimeType, ParsesAsWhatwgSays) {
  const auto mime =
      parseMimeType("  Audio/WebM ; Codecs=\"op\\\"us\" ;x=1;x=2; bad name=3; ;empty=");
  ASSERT_TRUE(mime);
  EXPECT_EQ(mime->type, "audio");
  EXPECT_EQ(mime->subtype, "webm");
  EXPECT_EQ(mime->parameter("codecs"), "op\"us");
  EXPECT_EQ(mime->parameter("x"), "1") << "the first of a duplicate wins";
  EXPECT_FALSE(mime->parameter("bad name"));
  EXPECT_FALSE(mime->parameter("empty"));
}

TEST(MimeType, RejectsInvalidStrings) {
  for (const char* text :
       {"", "audio", "audio/", "/webm", "au dio/webm", "audio/we bm", "''", "audio/webm\x7f"})
    EXPECT_FALSE(parseMimeType(text)) << text;
}

// WHATWG's parser passes over `codecs=` and an open quote; a recorder that then recorded its
// default codec would answer a question that was not asked.
TEST(MimeType, AnEmptyOrUnterminatedCodecsIsRefused) {
  for (const char* text :
       {"audio/webm;codecs=", "audio/webm;codecs=\"opus", "audio/webm;codecs=\"\"",
        "audio/webm;codecs=opus,", "audio/webm;codecs=,opus", "audio/webm;codecs= ;x=1"}) {
    const auto check = checkType(text);
    EXPECT_FALSE(check.supported) << text;
    EXPECT_NE(check.reason.find("codec"), std::string::npos) << text << ": " << check.reason;
  }
  EXPECT_TRUE(checkType("audio/webm;codecs=\"opus\"").supported);
  EXPECT_TRUE(checkType("audio/webm;codecs= opus ").supported);
}

TEST(MimeType, CheckNamesContainerAndCodec) {
  auto check = checkType("video/x-matroska;codecs=PCM");
  EXPECT_TRUE(check.supported);
  EXPECT_EQ(check.format.container, Container::Matroska);
  EXPECT_EQ(check.format.audioCodec, AudioCodec::Pcm);
  check = checkType("audio/ogg");
  EXPECT_TRUE(check.supported);
  EXPECT_FALSE(check.format.audioCodec);
  check = checkType("video/webm;codecs=vp9,opus");
  EXPECT_TRUE(check.supported);
  EXPECT_EQ(check.format.videoCodec, VideoCodec::Vp9);
  EXPECT_EQ(check.format.audioCodec, AudioCodec::Opus);
  check = checkType("video/x-matroska;codecs=av01.0.04M.08");
  EXPECT_TRUE(check.supported);
  EXPECT_EQ(check.format.videoCodec, VideoCodec::Av1);
  check = checkType("video/webm;codecs=h264,opus");
  EXPECT_FALSE(check.supported);
  EXPECT_NE(check.reason.find("h264"), std::string::npos);
  check = checkType("audio/webm;codecs=vp8");
  EXPECT_FALSE(check.supported);
  EXPECT_NE(check.reason.find("audio/webm"), std::string::npos);
}

}  // namespace mrec::detail
