// The Dictaphone as a process: a crash mid-recording loses at most the last second, and
// start-up recovers the clip and sweeps files that belong to no clip.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "dictaphone_process.h"
#include "support/media_tools.h"

namespace dictaphone {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {
std::pair<std::string, int> startDictaphone(const std::filesystem::path& data) {
  return test::startDictaphone(data, data.parent_path() / "dictaphone.log");
}
}  // namespace

TEST(DictaphoneProcess, ACrashMidRecordingIsRecoveredAtStartUp) {
  mrec::test::TempDir dir;
  const auto data = dir / "data";
  auto [pid, port] = startDictaphone(data);
  ASSERT_NE(port, 0);
  {
    httplib::Client client("127.0.0.1", port);
    ASSERT_EQ(client.Put("/api/input", R"({"id":"tone"})", "application/json")->status, 200);
    ASSERT_EQ(client.Post("/api/recording", "{}", "application/json")->status, 201);
    std::this_thread::sleep_for(3500ms);
  }
  mrec::test::runCommand("kill -KILL " + pid);
  std::this_thread::sleep_for(200ms);
  mrec::test::writeFile(data / "0123456789abcdef.ogg", std::vector<uint8_t>{1, 2, 3});  // an orphan

  auto [pid2, port2] = startDictaphone(data);
  ASSERT_NE(port2, 0);
  httplib::Client client("127.0.0.1", port2);
  const json clips = json::parse(client.Get("/api/clips")->body);
  ASSERT_EQ(clips.size(), 1u) << clips;
  EXPECT_GE(clips[0]["duration"].get<double>(), 2.0) << "at most the last second is lost";
  const auto audio = client.Get(clips[0]["url"].get<std::string>());
  mrec::test::writeFile(dir / "recovered.ogg",
                        std::vector<uint8_t>(audio->body.begin(), audio->body.end()));
  std::string error;
  const auto samples = mrec::test::decodeMono(dir / "recovered.ogg", &error);
  EXPECT_GE(double(samples.size()) / 48000, 2.4) << "3.5 s recorded, 1 s Blobs on disk";
  EXPECT_FALSE(std::filesystem::exists(data / "0123456789abcdef.ogg")) << "orphans are swept";
  mrec::test::runCommand("kill -TERM " + pid2);
}

// WebM and MP4 are written without an index until stop: a clip cut off by a crash is made
// seekable at start-up as a stop would have, so players know its length (issue 14, item 15).
TEST(DictaphoneProcess, AWebmOrMp4CutOffByACrashIsMadeSeekableAtStartUp) {
  for (const int format : {1, 2}) {  // /api/formats: Ogg, WebM, MP4
    mrec::test::TempDir dir;
    const auto data = dir / "data";
    auto [pid, port] = startDictaphone(data);
    ASSERT_NE(port, 0);
    std::string type;
    {
      httplib::Client client("127.0.0.1", port);
      type = json::parse(client.Get("/api/formats")->body)[format]["type"];
      ASSERT_EQ(client.Put("/api/input", R"({"id":"tone"})", "application/json")->status, 200);
      ASSERT_EQ(
          client.Post("/api/recording", json{{"type", type}}.dump(), "application/json")->status,
          201);
      std::this_thread::sleep_for(3500ms);
    }
    mrec::test::runCommand("kill -KILL " + pid);
    std::this_thread::sleep_for(200ms);

    auto [pid2, port2] = startDictaphone(data);
    ASSERT_NE(port2, 0);
    httplib::Client client("127.0.0.1", port2);
    const json clips = json::parse(client.Get("/api/clips")->body);
    ASSERT_EQ(clips.size(), 1u) << clips;
    const auto audio = client.Get(clips[0]["url"].get<std::string>());
    const auto file = dir / clips[0]["download"].get<std::string>();
    mrec::test::writeFile(file, std::vector<uint8_t>(audio->body.begin(), audio->body.end()));
    const std::string probed = mrec::test::ffprobe(file, "format=duration");
    ASSERT_NE(probed.find_first_of("0123456789"), std::string::npos)
        << type << ": ffprobe's duration is " << probed;
    EXPECT_GE(std::stod(probed), 2.4) << type << ": 3.5 s recorded, 1 s Blobs on disk";
    EXPECT_NEAR(clips[0]["duration"].get<double>(), std::stod(probed), 0.05) << type;
    std::string error;
    const auto samples = mrec::test::decodeMono(file, &error);
    EXPECT_EQ(error, "") << type;
    EXPECT_NEAR(double(samples.size()) / 48000, std::stod(probed), 0.1) << type;
    mrec::test::runCommand("kill -TERM " + pid2);
  }
}

}  // namespace dictaphone
