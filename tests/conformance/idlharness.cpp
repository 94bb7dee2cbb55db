// wpt/mediacapture-record/idlharness.window.js, in C++: the IDL's names and types, checked by
// the compiler, and the enums' strings.
#include <gtest/gtest.h>

#include <type_traits>

#include "support/event_log.h"

namespace mrec {

static_assert(std::is_base_of_v<EventTarget, MediaRecorder>);
static_assert(std::is_base_of_v<Event, BlobEvent>);
static_assert(std::is_base_of_v<Event, ErrorEvent>);
static_assert(!std::is_copy_constructible_v<MediaRecorder>);
static_assert(!std::is_move_constructible_v<MediaRecorder>);
static_assert(
    std::is_same_v<decltype(std::declval<MediaRecorder>().stream()), std::shared_ptr<MediaStream>>);
static_assert(std::is_same_v<decltype(std::declval<MediaRecorder>().mimeType()), std::string>);
static_assert(std::is_same_v<decltype(std::declval<MediaRecorder>().state()), RecordingState>);
static_assert(
    std::is_same_v<decltype(std::declval<MediaRecorder>().videoBitsPerSecond()), uint32_t>);
static_assert(
    std::is_same_v<decltype(std::declval<MediaRecorder>().audioBitsPerSecond()), uint32_t>);
static_assert(
    std::is_same_v<decltype(std::declval<MediaRecorder>().audioBitrateMode()), BitrateMode>);
static_assert(std::is_same_v<decltype(MediaRecorder::isTypeSupported("")), bool>);
static_assert(std::is_same_v<decltype(BlobEvent("", {}).timecode), double>);
static_assert(std::is_same_v<decltype(MediaRecorderOptions{}.videoKeyFrameIntervalDuration),
                             std::optional<double>>);

TEST(Idlharness, EnumStrings) {
  EXPECT_STREQ(toString(RecordingState::Inactive), "inactive");
  EXPECT_STREQ(toString(RecordingState::Recording), "recording");
  EXPECT_STREQ(toString(RecordingState::Paused), "paused");
  EXPECT_STREQ(toString(BitrateMode::Constant), "constant");
  EXPECT_STREQ(toString(BitrateMode::Variable), "variable");
  EXPECT_STREQ(toString(MediaStreamTrackState::Live), "live");
  EXPECT_STREQ(toString(MediaStreamTrackState::Ended), "ended");
}

TEST(Idlharness, DefaultsOfMediaRecorderOptions) {
  const MediaRecorderOptions options;
  EXPECT_EQ(options.mimeType, "");
  EXPECT_EQ(options.audioBitrateMode, BitrateMode::Variable);
  EXPECT_FALSE(options.bitsPerSecond);
  MediaRecorder recorder(std::make_shared<MediaStream>(), options);
  EXPECT_EQ(recorder.audioBitrateMode(), BitrateMode::Variable);
  MediaRecorder constant(std::make_shared<MediaStream>(),
                         {.audioBitrateMode = BitrateMode::Constant});
  EXPECT_EQ(constant.audioBitrateMode(), BitrateMode::Constant);
}

TEST(Idlharness, DomExceptionNameMessageAndWhat) {
  const DOMException e("InvalidStateError", "wrong state");
  EXPECT_EQ(e.name(), "InvalidStateError");
  EXPECT_EQ(e.message(), "wrong state");
  EXPECT_STREQ(e.what(), "InvalidStateError: wrong state");
}

}  // namespace mrec
