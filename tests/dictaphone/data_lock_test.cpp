// One Dictaphone per data folder: a second `mrec dictaphone` on a folder in use (on any port,
// even one it cannot bind) exits with a message and leaves the folder as it was, so the
// first one's recording goes on (issue 14, item 2).
#include <gtest/gtest.h>
#include <httplib.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "dictaphone_process.h"
#include "support/media_tools.h"

namespace dictaphone {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {
// Every file of the folder with its size and a hash of its bytes (short enough to print).
std::map<std::string, std::string> contents(const std::filesystem::path& folder) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const auto bytes = mrec::test::readFile(entry.path());
    files[entry.path().filename().string()] =
        std::to_string(bytes.size()) + " bytes, hash " +
        std::to_string(std::hash<std::string>()(std::string(bytes.begin(), bytes.end())));
  }
  return files;
}

mrec::test::CommandResult runSecond(const std::filesystem::path& data, int port) {
  // timeout: a second server that does start must not hang the test.
  return mrec::test::runCommand("timeout 10 '" + std::string(MREC_CLI_PATH) +
                                "' dictaphone --listen 127.0.0.1:" + std::to_string(port) +
                                " --data '" + data.string() + "'");
}
}  // namespace

TEST(DictaphoneProcess, ASecondServerOnTheSameDataLeavesTheRecordingInProgressAlone) {
  mrec::test::TempDir dir;
  const auto data = dir / "data";
  const auto [pid, port] = test::startDictaphone(data, dir / "first.log");
  ASSERT_NE(port, 0);
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(20s);
  ASSERT_EQ(client.Put("/api/input", R"({"id":"tone"})", "application/json")->status, 200);
  const auto started = client.Post("/api/recording", "{}", "application/json");
  ASSERT_EQ(started->status, 201);
  const std::string id = json::parse(started->body)["id"];
  std::this_thread::sleep_for(1500ms);
  ASSERT_EQ(client.Post("/api/recording/pause")->status, 200);
  std::this_thread::sleep_for(1500ms);  // the Blob in flight lands
  const auto before = contents(data);
  std::this_thread::sleep_for(1000ms);
  ASSERT_EQ(contents(data), before) << "a paused recording writes nothing (else no comparison)";

  const auto anyPort = runSecond(data, 0);
  const auto takenPort = runSecond(data, port);
  for (const auto& second : {anyPort, takenPort}) {
    EXPECT_NE(second.status, 0) << second.output;
    EXPECT_NE(second.status, 124) << "the second server ran until timeout killed it";
    EXPECT_NE(second.output.find("another mrec dictaphone is already using"), std::string::npos)
        << second.output;
  }
  EXPECT_EQ(contents(data), before) << "the second server changed the data folder";

  EXPECT_EQ(client.Delete("/api/clips/" + id)->status, 404) << "the clip is still recording";
  ASSERT_EQ(client.Post("/api/recording/resume")->status, 200);
  std::this_thread::sleep_for(1000ms);
  const auto stopped =
      client.Post("/api/recording/stop", R"({"name":"survivor"})", "application/json");
  ASSERT_EQ(stopped->status, 200) << stopped->body;
  const json clips = json::parse(client.Get("/api/clips")->body);
  ASSERT_EQ(clips.size(), 1u) << clips;
  EXPECT_EQ(clips[0]["id"], id);
  EXPECT_EQ(clips[0]["name"], "survivor");
  EXPECT_NEAR(clips[0]["duration"].get<double>(), 2.5, 0.3);
  mrec::test::runCommand("kill -TERM " + pid);
}

}  // namespace dictaphone
