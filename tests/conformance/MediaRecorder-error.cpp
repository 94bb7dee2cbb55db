// wpt/mediacapture-record/MediaRecorder-error.html, with an audio stream.
#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec {

namespace {
void expectInvalidModification(bool addTrack) {
  auto loop = std::make_shared<EventLoop>();
  const auto stream = test::createAudioStream();
  MediaRecorder recorder(stream, {}, loop);
  std::optional<std::string> stateInHandler, errorName;
  recorder.onerror = [&](const ErrorEvent& event) {
    ASSERT_TRUE(event.error.has_value());
    EXPECT_EQ(event.type, "error");
    errorName = event.error->name();
    stateInHandler = toString(recorder.state());
  };
  recorder.start();
  EXPECT_EQ(recorder.state(), RecordingState::Recording);
  if (addTrack)
    stream->addTrack(createToneTrack({.frequency = 880}));
  else
    stream->removeTrack(stream->getAudioTracks()[0]);
  // WPT allows 2 s; under TSan on a loaded 2-core machine the task can take longer (seen in CI).
  ASSERT_TRUE(test::runUntil(
      *loop, [&] { return errorName.has_value(); }, 10s))
      << "error event is not fired after 10 seconds";
  EXPECT_EQ(*errorName, "InvalidModificationError");
  EXPECT_EQ(*stateInHandler, "inactive");
}
}  // namespace

TEST(MediaRecorderError, StopsRecordingWhenAnyTrackIsAddedAndFiresError) {
  expectInvalidModification(/*addTrack=*/true);
}

TEST(MediaRecorderError, StopsRecordingWhenAnyTrackIsRemovedAndFiresError) {
  expectInvalidModification(/*addTrack=*/false);
}

TEST(MediaRecorderError, CannotStartWhenNotInactiveAndThrowsInvalidStateError) {
  MediaRecorder recorder(test::createAudioStream());
  recorder.start();
  EXPECT_EQ(recorder.state(), RecordingState::Recording);
  try {
    recorder.start();
    FAIL() << "start() did not throw";
  } catch (const DOMException& e) {
    EXPECT_EQ(e.name(), "InvalidStateError");
  }
}

}  // namespace mrec
