// wpt/mediacapture-record/MediaRecorder-mimetype.html, for audio streams (every type list of
// the test file; the video-stream cases come with video tracks).
#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec {

namespace {

const std::vector<std::string> kAudioOnlyMimeTypes = {"audio/mp4", "audio/ogg", "audio/webm"};
const std::vector<std::string> kAudioCodecsMimeTypes = {
    "audio/ogg; codecs=\"vorbis\"", "audio/ogg; codecs=\"opus\"", "audio/webm; codecs=\"vorbis\"",
    "audio/webm; codecs=\"opus\""};
const std::vector<std::string> kVideoOnlyMimeTypes = {"video/mp4", "video/webm",
                                                      "video/x-matroska"};
const std::vector<std::string> kVideoCodecsMimeTypes = {
    "video/webm; codecs=\"vp8\"",
    "video/webm; codecs=\"vp9\"",
    "video/webm; codecs=\"av1\"",
    "video/x-matroska; codecs=\"avc1\"",
    "video/x-matroska; codecs=\"hvc1\"",
    "video/x-matroska; codecs=\"hev1\"",
    "video/x-matroska; codecs=\"avc1.64001E\"",
    "video/x-matroska; codecs=\"hvc1.1.6.L123.00\"",
    "video/x-matroska; codecs=\"hev1.1.6.L123.00\"",
    "video/mp4; codecs=\"avc1\"",
    "video/mp4; codecs=\"hvc1\"",
    "video/mp4; codecs=\"hev1\"",
    "video/mp4; codecs=\"avc1.64001E\"",
    "video/mp4; codecs=\"hvc1.1.6.L123.00\"",
    "video/mp4; codecs=\"hev1.1.6.L123.00\""};
const std::vector<std::string> kAudioVideoMimeTypes = {
    "video/webm; codecs=\"vp8, vorbis\"",
    "video/webm; codecs=\"vp8, opus\"",
    "video/webm; codecs=\"vp9, vorbis\"",
    "video/webm; codecs=\"vp9, opus\"",
    "video/webm; codecs=\"av1, opus\"",
    "video/x-matroska; codecs=\"avc1, vorbis\"",
    "video/x-matroska; codecs=\"hvc1, opus\"",
    "video/x-matroska; codecs=\"hev1, opus\"",
    "video/x-matroska; codecs=\"avc1.64001E, vorbis\"",
    "video/x-matroska; codecs=\"hvc1.1.6.L123.00, opus\"",
    "video/x-matroska; codecs=\"hev1.1.6.L123.00, vorbis\"",
    "video/mp4; codecs=\"avc1, opus\"",
    "video/mp4; codecs=\"hvc1, vorbis\"",
    "video/mp4; codecs=\"hev1, vorbis\"",
    "video/mp4; codecs=\"avc1.64001E, opus\"",
    "video/mp4; codecs=\"hvc1.1.6.L123.00, vorbis\"",
    "video/mp4; codecs=\"hev1.1.6.L123.00, opus\""};

std::vector<std::string> allTypes() {
  std::vector<std::string> all;
  for (const auto* list : {&kAudioOnlyMimeTypes, &kAudioCodecsMimeTypes, &kVideoOnlyMimeTypes,
                           &kVideoCodecsMimeTypes, &kAudioVideoMimeTypes})
    all.insert(all.end(), list->begin(), list->end());
  return all;
}

bool throwsNotSupported(const std::function<void()>& f) {
  try {
    f();
  } catch (const DOMException& e) {
    return e.name() == "NotSupportedError";
  }
  return false;
}

std::string mimeTypeAtStart(const std::string& constrained) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {.mimeType = constrained}, loop);
  std::string atStart;
  bool started = false;
  recorder.onstart = [&](const Event&) {
    atStart = recorder.mimeType();
    started = true;
  };
  recorder.start();
  EXPECT_EQ(recorder.mimeType(), constrained) << "not set before 'onstart'";
  EXPECT_TRUE(test::runUntil(*loop, [&] { return started; }));
  recorder.stop();
  return atStart;
}

}  // namespace

TEST(MediaRecorderMimetype, SetsNoDefaultMimeTypeInTheConstructorForAudio) {
  MediaRecorder recorder(test::createAudioStream());
  EXPECT_EQ(recorder.mimeType(), "");
}

TEST(MediaRecorderMimetype, InvalidAudioMimeTypeThrowsAndIsUnsupported) {
  EXPECT_TRUE(throwsNotSupported(
      [] { MediaRecorder(std::make_shared<MediaStream>(), {.mimeType = "audio/banana"}); }));
  EXPECT_FALSE(MediaRecorder::isTypeSupported("audio/banana"));
}

TEST(MediaRecorderMimetype, InvalidVideoMimeTypeThrowsAndIsUnsupported) {
  EXPECT_TRUE(throwsNotSupported(
      [] { MediaRecorder(std::make_shared<MediaStream>(), {.mimeType = "video/pineapple"}); }));
  EXPECT_FALSE(MediaRecorder::isTypeSupported("video/pineapple"));
}

TEST(MediaRecorderMimetype, SupportedTypesAreSetVerbatimAndUnsupportedOnesThrow) {
  for (const auto& type : allTypes()) {
    SCOPED_TRACE(type);
    if (MediaRecorder::isTypeSupported(type)) {
      MediaRecorder recorder(std::make_shared<MediaStream>(), {.mimeType = type});
      EXPECT_EQ(recorder.mimeType(), type) << "Supported mimeType is set";
    } else {
      EXPECT_TRUE(throwsNotSupported(
          [&] { MediaRecorder(std::make_shared<MediaStream>(), {.mimeType = type}); }));
    }
  }
}

TEST(MediaRecorderMimetype, StartDoesNotThrowWithSupportedTypesForAudio) {
  std::vector<std::string> audioTypes = kAudioOnlyMimeTypes;
  audioTypes.insert(audioTypes.end(), kAudioCodecsMimeTypes.begin(), kAudioCodecsMimeTypes.end());
  audioTypes.insert(audioTypes.end(), kAudioVideoMimeTypes.begin(), kAudioVideoMimeTypes.end());
  audioTypes.insert(audioTypes.end(), kVideoOnlyMimeTypes.begin(), kVideoOnlyMimeTypes.end());
  int supported = 0;
  for (const auto& type : audioTypes) {
    SCOPED_TRACE(type);
    if (MediaRecorder::isTypeSupported(type)) {
      ++supported;
      MediaRecorder recorder(test::createAudioStream(), {.mimeType = type});
      EXPECT_NO_THROW(recorder.start());
    } else {
      EXPECT_TRUE(throwsNotSupported(
          [&] { MediaRecorder(test::createAudioStream(), {.mimeType = type}); }));
    }
  }
  // audio/mp4, audio/ogg, audio/webm, two opus codec types, vp8/vp9/av1 with opus in WebM,
  // avc1 and avc1.64001E with opus in MP4, video/mp4, video/webm, video/x-matroska
  EXPECT_EQ(supported, 13);
}

TEST(MediaRecorderMimetype, SetsANonemptyMimeTypeOnStartForAudioAndNotBefore) {
  EXPECT_NE(mimeTypeAtStart(""), "");
}

TEST(MediaRecorderMimetype, DoesNotFireStartMultipleTimesForAudio) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  int starts = 0;
  recorder.onstart = [&](const Event&) { ++starts; };
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return starts == 1; }));
  test::runFor(*loop, 1000ms);
  EXPECT_EQ(starts, 1) << "MediaRecorder doesn't fire 'onstart' twice";
  recorder.stop();
}

TEST(MediaRecorderMimetype, FormatsMimeTypeWellAfterStartForAudio) {
  // The test's regular expressions, checked by hand:
  // /^audio\//, /^[a-z]+\/[a-z]+/ and /^[a-z]+\/[a-z]+;[ ]*codecs=[^,]+$/.
  const std::string type = mimeTypeAtStart("");
  auto lowerRun = [&](size_t from) {
    size_t end = from;
    while (end < type.size() && type[end] >= 'a' && type[end] <= 'z') ++end;
    return end;
  };
  EXPECT_EQ(type.rfind("audio/", 0), 0u) << type;
  const size_t slash = lowerRun(0);
  ASSERT_GT(slash, 0u) << type;
  ASSERT_EQ(type[slash], '/') << type;
  const size_t subtypeEnd = lowerRun(slash + 1);
  ASSERT_GT(subtypeEnd, slash + 1) << type;
  ASSERT_EQ(type[subtypeEnd], ';') << type;
  size_t codecs = subtypeEnd + 1;
  while (codecs < type.size() && type[codecs] == ' ') ++codecs;
  EXPECT_EQ(type.compare(codecs, 7, "codecs="), 0) << type;
  EXPECT_GT(type.size(), codecs + 7) << type;
  EXPECT_EQ(type.find(',', codecs), std::string::npos) << "one codec: " << type;
}

TEST(MediaRecorderMimetype, ExtendedTypeCompletesTheConstrainedOne) {
  EXPECT_EQ(mimeTypeAtStart("audio/webm"), "audio/webm;codecs=opus");
  EXPECT_EQ(mimeTypeAtStart("video/webm"), "video/webm;codecs=opus");
  EXPECT_EQ(mimeTypeAtStart("audio/webm; codecs=\"opus\""), "audio/webm; codecs=\"opus\"");
  EXPECT_EQ(mimeTypeAtStart("audio/webm;codecs=pcm"), "audio/webm;codecs=pcm");
}

}  // namespace mrec
