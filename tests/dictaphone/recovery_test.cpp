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

}  // namespace dictaphone
