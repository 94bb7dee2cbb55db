// The Dictaphone's server in process on a free loopback port, and the HTTP calls its tests
// share.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server.h"
#include "support/media_tools.h"

namespace dictaphone::test {

/// A server on its own thread, for the length of a test (or until restarted).
class RunningServer {
 public:
  explicit RunningServer(const std::filesystem::path& data, double uploadTimeoutSeconds = 60);
  ~RunningServer();
  httplib::Client& client() { return client_; }
  int port() const { return server_.port(); }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port()); }

 private:
  Server server_;
  httplib::Client client_{"127.0.0.1", server_.port()};
  std::thread thread_;
};

nlohmann::json parse(const httplib::Result& result);
nlohmann::json post(httplib::Client& client, const std::string& path,
                    const nlohmann::json& body = nlohmann::json::object());
/// Records `seconds` of the test tone and stops with `name`; returns the clip.
nlohmann::json recordTone(httplib::Client& client, double seconds, const std::string& name,
                          const std::string& type = "audio/ogg;codecs=opus");
/// Downloads the clip into `dir` and decodes it (mono, 48 kHz).
std::vector<float> decodeClip(httplib::Client& client, const nlohmann::json& clip,
                              const mrec::test::TempDir& dir);

}  // namespace dictaphone::test
