#include "running_server.h"

#include <gtest/gtest.h>

#include <chrono>

namespace dictaphone::test {

using nlohmann::json;
using namespace std::chrono_literals;

RunningServer::RunningServer(const std::filesystem::path& data, double uploadTimeoutSeconds)
    : server_({.host = "127.0.0.1",
               .port = 0,
               .dataDirectory = data,
               .uploadTimeoutSeconds = uploadTimeoutSeconds}),
      thread_([this] { server_.run(); }) {
  client_.set_read_timeout(20s);
  for (int i = 0; i < 200 && !client_.Get("/api/status"); ++i) std::this_thread::sleep_for(10ms);
}

RunningServer::~RunningServer() {
  server_.stop();
  thread_.join();
}

json parse(const httplib::Result& result) {
  EXPECT_TRUE(result) << "no response";
  return result ? json::parse(result->body, nullptr, false) : json();
}

json post(httplib::Client& client, const std::string& path, const json& body) {
  return parse(client.Post(path, body.dump(), "application/json"));
}

json recordTone(httplib::Client& client, double seconds, const std::string& name,
                const std::string& type) {
  EXPECT_EQ(client.Put("/api/input", R"({"id":"tone"})", "application/json")->status, 200);
  const auto started =
      client.Post("/api/recording", json{{"type", type}}.dump(), "application/json");
  EXPECT_EQ(started->status, 201) << started->body;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  return post(client, "/api/recording/stop", {{"name", name}});
}

std::vector<float> decodeClip(httplib::Client& client, const json& clip,
                              const mrec::test::TempDir& dir) {
  const auto audio = client.Get(clip["url"].get<std::string>());
  EXPECT_EQ(audio->status, 200);
  const auto path = dir / ("clip." + clip["download"].get<std::string>().substr(
                                         clip["download"].get<std::string>().rfind('.') + 1));
  mrec::test::writeFile(path, std::vector<uint8_t>(audio->body.begin(), audio->body.end()));
  std::string error;
  auto samples = mrec::test::decodeMono(path, &error);
  EXPECT_EQ(error, "");
  return samples;
}

}  // namespace dictaphone::test
