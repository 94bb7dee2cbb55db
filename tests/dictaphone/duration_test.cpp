// A clip's listed duration is its media's, as ffprobe reads the file, paused spans left out
// (issue 14, item 14: 28.1 s was listed for 9.99 s of audio).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "running_server.h"
#include "support/pulse_daemon.h"

namespace dictaphone {

using nlohmann::json;
using namespace std::chrono_literals;
using test::parse;
using test::post;
using test::RunningServer;

namespace {
// Records 1 s, pauses 2 s, records 1 s more; returns the listed clip and the wall time.
std::pair<json, double> recordWithAPause(httplib::Client& client, const std::string& type) {
  EXPECT_EQ(client.Put("/api/input", R"({"id":"tone"})", "application/json")->status, 200);
  const auto began = std::chrono::steady_clock::now();
  EXPECT_EQ(client.Post("/api/recording", json{{"type", type}}.dump(), "application/json")->status,
            201);
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(client.Post("/api/recording/pause")->status, 200);
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(client.Post("/api/recording/resume")->status, 200);
  std::this_thread::sleep_for(1s);
  const json stopped = post(client, "/api/recording/stop");
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  for (const auto& clip : parse(client.Get("/api/clips")))
    if (clip["id"] == stopped["id"]) return {clip, wall};
  ADD_FAILURE() << "the clip is not listed";
  return {json(), wall};
}
}  // namespace

TEST(DictaphoneServer, TheListedDurationIsTheMediasAsFfprobeReadsItPausesLeftOut) {
  mrec::test::TempDir data, work;
  RunningServer server(data.path());
  auto& client = server.client();
  for (const auto& format : parse(client.Get("/api/formats"))) {
    const std::string type = format["type"];
    const auto [clip, wall] = recordWithAPause(client, type);
    ASSERT_TRUE(clip.is_object()) << type;
    const auto audio = client.Get(clip["url"].get<std::string>());
    const auto file = work / clip["download"].get<std::string>();
    mrec::test::writeFile(file, std::vector<uint8_t>(audio->body.begin(), audio->body.end()));
    // Where the media ends: Ogg Opus starts at minus its pre-skip.
    const double probed = std::stod(mrec::test::ffprobe(file, "format=start_time")) +
                          std::stod(mrec::test::ffprobe(file, "format=duration"));
    EXPECT_NEAR(clip["duration"].get<double>(), probed, 0.05) << type;
    EXPECT_NEAR(probed, 2.0, 0.3) << type;
    EXPECT_LT(clip["duration"].get<double>(), wall - 1.5) << type << ": the pause is not counted";
  }
}

// The wall clock goes on when the input stops delivering: a lost device (its sound server
// killed here) recorded at most 2 s, and the 2 s until stop are not media.
TEST(DictaphoneServer, TheTimeAfterALostInputIsNotCountedInTheDuration) {
  mrec::test::PulseDaemon daemon;
  ASSERT_TRUE(daemon.running()) << daemon.log();
  mrec::test::TempDir data, work;
  mrec::test::runCommand("ffmpeg -nostdin -v error -f lavfi -i sine=440:d=20 '" +
                         (work / "tone.wav").string() + "'");
  daemon.play(work / "tone.wav");
  std::this_thread::sleep_for(500ms);  // the sink is running before capture starts
  RunningServer server(data.path());
  auto& client = server.client();
  ASSERT_EQ(client.Put("/api/input", R"({"id":"test.monitor"})", "application/json")->status, 200);
  ASSERT_EQ(client.Post("/api/recording", "{}", "application/json")->status, 201);
  std::this_thread::sleep_for(2s);
  daemon.kill();
  std::this_thread::sleep_for(2s);
  const json clip = post(client, "/api/recording/stop");
  ASSERT_TRUE(clip.contains("url")) << clip;
  const auto audio = client.Get(clip["url"].get<std::string>());
  const auto file = work / "lost.ogg";
  mrec::test::writeFile(file, std::vector<uint8_t>(audio->body.begin(), audio->body.end()));
  const double probed = std::stod(mrec::test::ffprobe(file, "format=start_time")) +
                        std::stod(mrec::test::ffprobe(file, "format=duration"));
  EXPECT_GT(probed, 0.5) << "what was recorded before the loss is kept";
  EXPECT_LT(probed, 2.1);
  EXPECT_NEAR(clip["duration"].get<double>(), probed, 0.05);
  // The page shows the server's message: a lost input is said, not silently ended.
  const json status = json::parse(client.Get("/api/status")->body);
  EXPECT_NE(status.value("message", "").find("went away"), std::string::npos) << status;
}

}  // namespace dictaphone
