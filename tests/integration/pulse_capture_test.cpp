// Capture from a real PulseAudio daemon started by the test: a tone played into a null sink
// is recorded from its monitor through getUserMedia.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "support/event_log.h"
#include "support/media_tools.h"
#include "support/pulse_daemon.h"

namespace mrec {

namespace {
std::filesystem::path makeTone(const test::TempDir& dir, double seconds, int frequency) {
  const auto path = dir / "tone.wav";
  EXPECT_EQ(
      test::runCommand("sox -n -r 48000 -c 2 -b 16 '" + path.string() + "' synth " +
                       std::to_string(seconds) + " sine " + std::to_string(frequency) + " vol 0.5")
          .status,
      0);
  return path;
}
}  // namespace

TEST(PulseCapture, NoAudioServerIsNotReadableError) {
  test::TempDir dir;
  setenv("PULSE_SERVER", ("unix:" + (dir / "nothing-here").string()).c_str(), 1);
  EXPECT_EQ(test::thrownName([] { mediaDevices::getUserMedia({.audio = true}); }),
            "NotReadableError");
  EXPECT_TRUE(mediaDevices::enumerateDevices().empty());
}

TEST(PulseCapture, NeitherAudioNorVideoIsTypeError) {
  EXPECT_THROW(mediaDevices::getUserMedia({}), TypeError);
}

TEST(PulseCapture, DevicesAreListedWithTheDefaultFirst) {
  test::PulseDaemon daemon;
  ASSERT_TRUE(daemon.running()) << daemon.log();
  const auto devices = mediaDevices::enumerateDevices();
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0].deviceId, "default");
  EXPECT_EQ(devices[1].deviceId, "test.monitor");
  EXPECT_EQ(devices[1].kind, "audioinput");
  EXPECT_FALSE(devices[1].label.empty());
  MediaTrackConstraints unknown;
  unknown.deviceId = "no-such-device";
  EXPECT_EQ(test::thrownName([&] { mediaDevices::getUserMedia({.audio = unknown}); }),
            "OverconstrainedError");
}

TEST(PulseCapture, RecordsTheToneWithTheWallClockDuration) {
  test::PulseDaemon daemon;
  ASSERT_TRUE(daemon.running()) << daemon.log();
  test::TempDir dir;
  daemon.play(makeTone(dir, 30, 440));  // plays past the end of the recording
  std::this_thread::sleep_for(500ms);   // the sink is running before capture starts

  MediaTrackConstraints monitor;
  monitor.deviceId = "test.monitor";
  auto stream = mediaDevices::getUserMedia({.audio = monitor});
  EXPECT_EQ(stream->getAudioTracks()[0]->getSettings().deviceId, "test.monitor");
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(stream, {}, loop);
  test::EventLog log(recorder);
  recorder.start(500);
  // A monitor delivers its first data only after the null sink's first block
  // (docs/testing.md §5); the clock starts once media flows: at the first Blob, which holds
  // 500 ms of it.
  ASSERT_TRUE(test::runUntil(
      *loop, [&] { return log.has("dataavailable"); }, 10s));
  const auto begin = std::chrono::steady_clock::now();
  test::runFor(*loop, 4000ms);
  recorder.stop();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_FALSE(log.has("error"));
  ASSERT_GE(log.timecodes.size(), 3u);
  test::writeFile(dir / "captured.ogg", log.file());
  const auto samples = test::decodeMono(dir / "captured.ogg");
  const double afterFirstBlob = double(samples.size()) / 48000 - log.timecodes[1] / 1000;
  EXPECT_NEAR(afterFirstBlob, wall, wall * 0.05)
      << "media recorded vs wall-clock time; blob timecodes: "
      << ::testing::PrintToString(log.timecodes);
  // The last full second before the end (the tone plays 8 s, long past the recording).
  ASSERT_GT(samples.size(), 72000u);
  const std::vector<float> last(samples.end() - 72000, samples.end() - 24000);
  EXPECT_GT(test::peak(last), 0.2f);
  EXPECT_NEAR(test::medianCycleFrequency(last, 48000), 440, 2)
      << "silent gaps of 2 ms or more: " << test::silentGaps(last, 96);
  for (auto& track : stream->getTracks()) track->stop();
}

TEST(PulseCapture, ServerDeathEndsTheTrackAndLeavesAValidFile) {
  test::PulseDaemon daemon;
  ASSERT_TRUE(daemon.running()) << daemon.log();
  test::TempDir dir;
  daemon.play(makeTone(dir, 8, 440));
  std::this_thread::sleep_for(300ms);
  auto stream = mediaDevices::getUserMedia({.audio = true});
  std::atomic<bool> ended{false};
  stream->getAudioTracks()[0]->onended = [&](const Event&) { ended = true; };
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(stream, {}, loop);
  test::EventLog log(recorder);
  recorder.start(250);
  ASSERT_TRUE(test::runUntil(
      *loop, [&] { return log.count("dataavailable") >= 2; }, 10s));
  daemon.kill();
  ASSERT_TRUE(test::runUntil(
      *loop, [&] { return log.has("stop"); }, 10s));
  EXPECT_EQ(log.types.back(), "stop");
  EXPECT_FALSE(log.has("error")) << "all tracks ended: dataavailable then stop, no error";
  EXPECT_EQ(stream->getAudioTracks()[0]->readyState(), MediaStreamTrackState::Ended);
  for (int i = 0; i < 100 && !ended; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(ended);
  test::writeFile(dir / "cut.ogg", log.file());
  std::string error;
  const auto samples = test::decodeMono(dir / "cut.ogg", &error);
  EXPECT_EQ(error, "");
  EXPECT_GT(samples.size(), 24000u);
}

}  // namespace mrec

namespace mrec {

TEST(MrecCommandWithPulse, DevicesAndRecordFromADevice) {
  const std::string mrec = MREC_CLI_PATH;
  test::PulseDaemon daemon;
  ASSERT_TRUE(daemon.running()) << daemon.log();
  const auto devices = test::runCommand("'" + mrec + "' devices");
  EXPECT_EQ(devices.status, 0);
  EXPECT_EQ(devices.output.rfind("* test.monitor\t", 0), 0u) << devices.output;

  test::TempDir dir;
  ASSERT_EQ(test::runCommand("sox -n -r 48000 -c 2 -b 16 '" + (dir / "tone.wav").string() +
                             "' synth 8 sine 523 vol 0.5")
                .status,
            0);
  daemon.play(dir / "tone.wav");
  std::this_thread::sleep_for(300ms);
  const auto out = dir / "device.ogg";
  const auto result = test::runCommand(
      "'" + mrec + "' record -q --device test.monitor --duration 4 -o '" + out.string() + "'");
  ASSERT_EQ(result.status, 0) << result.output;
  const auto samples = test::decodeMono(out);
  // --duration counts media: four seconds to the sample, however late the monitor starts
  // (an idle null sink's monitor delivers nothing for up to two seconds).
  ASSERT_EQ(samples.size(), 4u * 48000) << "samples";
  const std::vector<float> last(samples.end() - 72000, samples.end() - 24000);
  EXPECT_NEAR(test::medianCycleFrequency(last, 48000), 523, 2)
      << "silent gaps of 2 ms or more: " << test::silentGaps(last, 96);

  const auto missing =
      test::runCommand("'" + mrec + "' record --device nope -o '" + out.string() + "'");
  EXPECT_EQ(missing.status, 4);
  EXPECT_NE(missing.output.find("OverconstrainedError"), std::string::npos) << missing.output;
}

// A lost input is said, with a non-zero exit, not taken for the end of the recording (it
// once exited 0 with nothing printed); the file holds what came before.
TEST(MrecCommandWithPulse, ALostInputIsReportedAndTheFileKept) {
  const std::string mrec = MREC_CLI_PATH;
  test::PulseDaemon daemon;
  ASSERT_TRUE(daemon.running()) << daemon.log();
  test::TempDir dir;
  daemon.play(makeTone(dir, 8, 440));
  std::this_thread::sleep_for(300ms);
  const auto out = dir / "lost.webm";
  const auto log = dir / "log";
  test::runCommand("('" + mrec + "' record -q --device test.monitor --timeslice 250 -o '" +
                   out.string() + "' > '" + log.string() + "' 2>&1; echo $? >> '" + log.string() +
                   "') > /dev/null 2>&1 &");
  std::this_thread::sleep_for(2500ms);
  daemon.kill();
  std::string output;
  for (int i = 0; i < 100 && output.find('\n', output.find("went away")) == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(100ms);
    const auto bytes = test::readFile(log);
    output.assign(bytes.begin(), bytes.end());
  }
  EXPECT_NE(output.find("test.monitor went away"), std::string::npos) << output;
  for (int i = 0; i < 50 && output.find("\n4\n") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    const auto bytes = test::readFile(log);
    output.assign(bytes.begin(), bytes.end());
  }
  EXPECT_NE(output.find("\n4\n"), std::string::npos) << "exit status 4: " << output;
  std::string error;
  const auto samples = test::decodeMono(out, &error);
  EXPECT_EQ(error, "");
  EXPECT_GT(samples.size(), 24000u);
  EXPECT_NE(test::ffprobe(out, "format=duration"), "N/A") << "finished as any recording is";
}

}  // namespace mrec

namespace mrec {

TEST(PulseCapture, StoppedTrackReleasesTheDeviceAndAVanishedSourceEndsTheTrack) {
  test::PulseDaemon daemon;
  ASSERT_TRUE(daemon.running()) << daemon.log();
  auto outputs = [] { return test::runCommand("pactl list short source-outputs | wc -l").output; };
  auto stream = mediaDevices::getUserMedia({.audio = true});
  EXPECT_EQ(outputs(), "1\n");
  stream->getAudioTracks()[0]->stop();
  for (int i = 0; i < 200 && outputs() != "0\n"; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(outputs(), "0\n") << "track.stop() releases the PulseAudio stream";

  // The device goes away while it is recorded: the track ends, the recording stops cleanly.
  auto again = mediaDevices::getUserMedia({.audio = true});
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(again, {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("start"); }));
  EXPECT_EQ(test::runCommand("pactl unload-module module-null-sink").status, 0);
  ASSERT_TRUE(test::runUntil(
      *loop, [&] { return log.has("stop"); }, 10s));
  EXPECT_EQ(again->getAudioTracks()[0]->readyState(), MediaStreamTrackState::Ended);
  EXPECT_FALSE(log.has("error"));
}

}  // namespace mrec
