// The project's decisions where the spec leaves a choice (docs/conformance.md §3), one test
// group each.
#include <gtest/gtest.h>

#include <thread>

#include "support/event_log.h"
#include "support/media_tools.h"

namespace mrec {

// 1. isTypeSupported tells the truth; MIME strings are parsed as WHATWG says.
TEST(Decision1SupportedTypes, ExactlyTheRecordableTypes) {
  for (const char* type : {"",
                           "audio/ogg",
                           "audio/ogg;codecs=opus",
                           "audio/webm",
                           "audio/webm;codecs=opus",
                           "audio/webm;codecs=pcm",
                           "video/webm",
                           "video/webm;codecs=opus",
                           "video/webm;codecs=pcm",
                           "video/x-matroska",
                           "video/x-matroska;codecs=opus",
                           "video/x-matroska;codecs=pcm",
                           "AUDIO/OGG; CODECS=OPUS",
                           "audio/ogg;codecs=\"opus\"",
                           "audio/webm; codecs=\" opus \"",
                           "audio/webm;codecs=opus.0",
                           "audio/ogg;foo=bar;codecs=opus",
                           "audio/ogg ; codecs=Opus",
                           "video/webm;codecs=vp8",
                           "video/webm;codecs=vp8,opus",
                           "video/webm;codecs=\"vp9, opus\"",
                           "video/webm;codecs=av1",
                           "video/webm;codecs=av01.0.04M.08,opus",
                           "video/webm;codecs=VP8,PCM",
                           "video/x-matroska;codecs=vp9,pcm",
                           "video/x-matroska;codecs=av1,opus",
                           "audio/mp4",
                           "audio/mp4;codecs=opus",
                           "video/mp4",
                           "video/mp4;codecs=vp9,opus",
                           "video/mp4;codecs=\"vp09.00.10.08, opus\"",
                           "video/mp4;codecs=av01,opus"})
    EXPECT_TRUE(MediaRecorder::isTypeSupported(type)) << type;
  for (const char* type : {"audio/ogg;codecs=pcm",
                           "audio/ogg;codecs=vorbis",
                           "audio/webm;codecs=opus,opus",
                           "audio/webm;codecs=opus,pcm",
                           "audio/webm;codecs=\"\"",
                           "audio/mp4;codecs=pcm",
                           "video/mp4;codecs=vp8,opus",
                           "audio/wav",
                           "audio/webm;codecs=vp8",
                           "audio/ogg;codecs=vp8,opus",
                           "video/webm;codecs=vp8,vp9",
                           "video/webm;codecs=h264",
                           "video/x-matroska;codecs=avc1,opus",
                           "audio/x-matroska",
                           "''",
                           "audio",
                           "audio/",
                           "/ogg",
                           "audio/o gg",
                           "video/invalid",
                           "audio/webm;codecs=flac"})
    EXPECT_FALSE(MediaRecorder::isTypeSupported(type)) << type;
}

TEST(Decision1SupportedTypes, NotSupportedErrorSaysWhy) {
  EXPECT_NE(test::thrownMessage([] {
              MediaRecorder(std::make_shared<MediaStream>(), {.mimeType = "audio/ogg;codecs=pcm"});
            }).find("pcm"),
            std::string::npos);
  EXPECT_NE(test::thrownMessage([] {
              MediaRecorder(std::make_shared<MediaStream>(), {.mimeType = "audio/wav"});
            }).find("audio/wav"),
            std::string::npos);
}

// 2. Defaults.
TEST(Decision2Defaults, AudioOnlyStreamRecordsOggOpus) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("start"); }));
  EXPECT_EQ(recorder.mimeType(), "audio/ogg;codecs=opus");
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_EQ(log.blobs.back().type(), "audio/ogg;codecs=opus");
  EXPECT_EQ(recorder.mimeType(), "") << "Inactivate restores the constrained type";
}

// 3. Bitrates.
TEST(Decision2Defaults, VideoStreamsRecordWebmVp8WithOpusIfThereIsAudio) {
  for (const bool withAudio : {true, false}) {
    auto loop = std::make_shared<EventLoop>();
    auto stream = withAudio ? test::streamOf({createTestPatternTrack(), createToneTrack()})
                            : test::streamOf({createTestPatternTrack()});
    MediaRecorder recorder(stream, {}, loop);
    test::EventLog log(recorder);
    recorder.start();
    ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("start"); }));
    EXPECT_EQ(recorder.mimeType(),
              withAudio ? "video/webm;codecs=vp8,opus" : "video/webm;codecs=vp8");
    recorder.stop();
    ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  }
}

TEST(Decision2Defaults, ATypeNamingOneKindIsCompletedWithTheOther) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::streamOf({createTestPatternTrack(), createToneTrack()}),
                         {.mimeType = "video/webm;codecs=vp9"}, loop);
  test::EventLog log(recorder);
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("start"); }));
  EXPECT_EQ(recorder.mimeType(), "video/webm;codecs=vp9,opus");
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
}

TEST(Decision3Bitrates, DefaultsAndSplit) {
  MediaRecorder defaults(std::make_shared<MediaStream>());
  EXPECT_EQ(defaults.audioBitsPerSecond(), 128000u);
  EXPECT_EQ(defaults.videoBitsPerSecond(), 2500000u);
  MediaRecorder split(std::make_shared<MediaStream>(), {.bitsPerSecond = 2100000});
  EXPECT_EQ(split.audioBitsPerSecond(), 100000u);
  EXPECT_EQ(split.videoBitsPerSecond(), 2000000u);
  MediaRecorder zero(std::make_shared<MediaStream>(), {.bitsPerSecond = 0});
  EXPECT_GT(zero.audioBitsPerSecond(), 0u);
  EXPECT_GT(zero.videoBitsPerSecond(), 0u);
  EXPECT_LT(zero.audioBitsPerSecond() + zero.videoBitsPerSecond(), 100000u);
}

TEST(Decision3Bitrates, ExplicitValueIsKeptAndClampedOnlyInsideTheEncoder) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createOfflineToneStream(0.5), {.audioBitsPerSecond = 5000000}, loop);
  test::EventLog log(recorder);
  recorder.start();
  EXPECT_EQ(recorder.audioBitsPerSecond(), 5000000u);
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_FALSE(log.has("error"));
  EXPECT_GT(log.file().size(), 0u);
}

// 4. Key-frame options.
TEST(Decision4KeyFrames, BothOptionsThrowFromTheConstructor) {
  EXPECT_EQ(test::thrownName([] {
              MediaRecorder(std::make_shared<MediaStream>(), {.videoKeyFrameIntervalDuration = 1000,
                                                              .videoKeyFrameIntervalCount = 5});
            }),
            "NotSupportedError");
  EXPECT_EQ(test::thrownName([] {
              MediaRecorder(std::make_shared<MediaStream>(), {.videoKeyFrameIntervalCount = 5});
            }),
            "(nothing)");
}

// 5. Timeslice counts media time; no empty Blob at a slice boundary; timecodes increase.
TEST(Decision5Timeslice, EachBlobButTheLastHoldsTimesliceOfMedia) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createOfflineToneStream(5.0), {}, loop);
  test::EventLog log(recorder);
  recorder.start(1000);
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  ASSERT_GE(log.timecodes.size(), 5u);
  EXPECT_EQ(log.timecodes[0], 0);
  for (size_t i = 1; i + 1 < log.timecodes.size(); ++i)
    EXPECT_NEAR(log.timecodes[i] - log.timecodes[i - 1], 1000, 20) << "blob " << i;
  for (const auto& blob : log.blobs) EXPECT_GT(blob.size(), 0u);
}

TEST(Decision5Timeslice, ZeroDeliversEachUnitWithStrictlyIncreasingTimecodes) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createOfflineToneStream(1.0), {}, loop);
  test::EventLog log(recorder);
  recorder.start(0);
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_GE(log.blobs.size(), 50u);  // one per 20 ms Opus packet
  EXPECT_EQ(log.timecodes[0], 0);
  for (size_t i = 1; i < log.timecodes.size(); ++i) {
    EXPECT_GT(log.timecodes[i], log.timecodes[i - 1]) << "blob " << i;
    EXPECT_GT(log.blobs[i - 1].size(), 0u) << "blob " << i - 1;
  }
}

// 6. The first Blob after `start` is not empty.
TEST(Decision6FirstBlob, RequestDataRightAfterStartEventIsNotEmpty) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  recorder.onstart = [&](const Event&) { recorder.requestData(); };
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("dataavailable"); }));
  EXPECT_GT(log.blobs[0].size(), 0u);
  EXPECT_EQ(log.blobs[0].type(), recorder.mimeType());
  recorder.stop();
}

// 8. At most one track of a kind.
TEST(Decision8TrackCount, TwoAudioTracksAreRefusedWithAReason) {
  MediaRecorder recorder(test::streamOf({createToneTrack(), createToneTrack()}));
  EXPECT_EQ(test::thrownName([&] { recorder.start(); }), "NotSupportedError");
  EXPECT_NE(test::thrownMessage([&] { recorder.start(); }).find("audio tracks"), std::string::npos);
  EXPECT_EQ(recorder.state(), RecordingState::Inactive);
}

TEST(Decision8TrackCount, TwoVideoTracksAreRefusedWithAReason) {
  MediaRecorder recorder(test::streamOf({createTestPatternTrack(), createTestPatternTrack()}));
  EXPECT_EQ(test::thrownName([&] { recorder.start(); }), "NotSupportedError");
  EXPECT_NE(test::thrownMessage([&] { recorder.start(); }).find("video tracks"), std::string::npos);
  EXPECT_EQ(recorder.state(), RecordingState::Inactive);
}

// Step 14: a video track with a type that can only hold audio.
TEST(Decision8TrackCount, AVideoTrackWithAnAudioOnlyTypeIsRefusedInStart) {
  for (const char* type : {"audio/ogg", "audio/webm;codecs=opus", "audio/webm"}) {
    SCOPED_TRACE(type);
    MediaRecorder recorder(test::streamOf({createTestPatternTrack(), createToneTrack()}),
                           {.mimeType = type});
    EXPECT_EQ(test::thrownName([&] { recorder.start(); }), "NotSupportedError");
    EXPECT_NE(test::thrownMessage([&] { recorder.start(); }).find("video track"),
              std::string::npos);
    EXPECT_EQ(recorder.state(), RecordingState::Inactive);
  }
}

TEST(Decision8TrackCount, EndedTracksAreIgnored) {
  auto ended = createToneTrack();
  ended->stop();
  MediaRecorder recorder(test::streamOf({ended, createToneTrack()}));
  EXPECT_NO_THROW(recorder.start());
  recorder.stop();
}

// 10. A restart before the previous recording's `stop` fired.
TEST(Decision10Restart, OldEventsArriveBeforeTheNewStart) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  recorder.stop();
  recorder.start();
  EXPECT_EQ(recorder.state(), RecordingState::Recording);
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.count("start") == 2; }));
  EXPECT_EQ(log.types, (std::vector<std::string>{"start", "dataavailable", "stop", "start"}));
  EXPECT_EQ(recorder.state(), RecordingState::Recording) << "the old stop does not inactivate";
  EXPECT_EQ(recorder.mimeType(), "audio/ogg;codecs=opus");
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.count("stop") == 2; }));
  // Each recording is a file of its own, with its own header.
  EXPECT_EQ(log.blobs[0].text().substr(0, 4), "OggS");
  EXPECT_EQ(log.blobs[1].text().substr(0, 4), "OggS");
}

// The old recording may have finished, and been released by the new start(), before any of
// its events ran: its `start` is still dispatched (a CI run once lost it this way).
TEST(Decision10Restart, AFinishedRecordingReleasedByTheNextStartStillFiresStart) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  recorder.stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // its worker has finished
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.count("start") == 2; }));
  EXPECT_EQ(log.types, (std::vector<std::string>{"start", "dataavailable", "stop", "start"}));
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.count("stop") == 2; }));
}

// 11. Isolation.
TEST(Decision11Isolation, IsolatedTrackThrowsSecurityErrorAtStart) {
  const auto stream = test::createAudioStream();
  stream->getAudioTracks()[0]->setIsolated(true);
  MediaRecorder recorder(stream);
  EXPECT_EQ(test::thrownName([&] { recorder.start(); }), "SecurityError");
  EXPECT_EQ(recorder.state(), RecordingState::Inactive);
}

TEST(Decision11Isolation, TrackBecomingIsolatedDiscardsTheData) {
  auto loop = std::make_shared<EventLoop>();
  const auto stream = test::createAudioStream();
  MediaRecorder recorder(stream, {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("start"); }));
  test::runFor(*loop, 100ms);
  stream->getAudioTracks()[0]->setIsolated(true);
  recorder.stop();  // too late: the isolation already ended the recording
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_EQ(log.types, (std::vector<std::string>{"start", "error", "dataavailable", "stop"}));
  EXPECT_EQ(log.errorNames, (std::vector<std::string>{"SecurityError"}));
  EXPECT_EQ(log.blobs.back().size(), 0u);
}

// start()'s exceptions, in the order the spec checks them.
TEST(StartExceptions, OrderOfChecks) {
  // InvalidStateError (5) before SecurityError (6).
  const auto stream = test::createAudioStream();
  MediaRecorder recorder(stream);
  recorder.start();
  EXPECT_EQ(test::thrownName([&] { recorder.start(); }), "InvalidStateError");
  recorder.stop();

  // SecurityError (6) before NotSupportedError for the track set (14).
  auto isolated = createToneTrack();
  isolated->setIsolated(true);
  MediaRecorder twoTracks(test::streamOf({isolated, createToneTrack()}));
  EXPECT_EQ(test::thrownName([&] { twoTracks.start(); }), "SecurityError");

  // NotSupportedError for an inactive stream (7).
  MediaRecorder empty(test::streamOf({}));
  EXPECT_EQ(test::thrownName([&] { empty.start(); }), "NotSupportedError");
}

// The stopWithError() extension: a program's own output failed; the recording ends through
// docs/conformance.md §2.12 item 6's path, and the rest of the media still arrives.
TEST(StopWithError, ErrorThenTheRestThenStop) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::streamOf({createToneTrack()}), {}, loop);  // realtime
  test::EventLog log(recorder);
  int delivered = 0;
  recorder.ondataavailable = [&](const BlobEvent&) {
    if (++delivered == 2) {
      recorder.stopWithError(DOMException("QuotaExceededError", "the disk is full"));
      EXPECT_EQ(recorder.state(), RecordingState::Inactive);
      recorder.stopWithError(DOMException("UnknownError", "ignored: already inactive"));
    }
  };
  recorder.start(500);
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  const std::vector<std::string> expected{"start", "dataavailable", "dataavailable",
                                          "error", "dataavailable", "stop"};
  EXPECT_EQ(log.types, expected);
  EXPECT_EQ(log.errorNames, (std::vector<std::string>{"QuotaExceededError"}));
  // Nothing delivered is lost: the Blobs before and after the error make one file of at
  // least the second delivered before it.
  test::TempDir dir;
  test::writeFile(dir / "a.ogg", Blob(log.blobs));
  std::string error;
  const auto samples = test::decodeMono(dir / "a.ogg", &error);
  EXPECT_EQ(error, "");
  EXPECT_GE(samples.size(), 48000u);
}

}  // namespace mrec
