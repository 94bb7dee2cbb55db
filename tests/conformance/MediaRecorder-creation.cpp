// wpt/mediacapture-record/MediaRecorder-creation.https.html: a recorder can be created for
// an audio-only stream, is inactive, and has non-zero bitrates.
#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec {

TEST(MediaRecorderCreation, AudioOnlyMediaRecorder) {
  const auto stream = test::createAudioStream();
  ASSERT_EQ(stream->getAudioTracks().size(), 1u);
  ASSERT_EQ(stream->getVideoTracks().size(), 0u);
  ASSERT_EQ(stream->getAudioTracks()[0]->readyState(), MediaStreamTrackState::Live);
  MediaRecorder recorder(stream);
  EXPECT_EQ(recorder.state(), RecordingState::Inactive);
  EXPECT_NE(recorder.videoBitsPerSecond(), 0u);
  EXPECT_NE(recorder.audioBitsPerSecond(), 0u);
}

TEST(MediaRecorderCreation, EmptyStreamIsAllowed) {
  MediaRecorder recorder(std::make_shared<MediaStream>());
  EXPECT_EQ(recorder.state(), RecordingState::Inactive);
  EXPECT_EQ(recorder.mimeType(), "");
}

TEST(MediaRecorderCreation, NullStreamIsATypeError) {
  EXPECT_THROW(MediaRecorder(nullptr), TypeError);
}

}  // namespace mrec
