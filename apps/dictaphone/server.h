// The Dictaphone's HTTP server: the page, a JSON API over the clip store and the studio, the
// clips' audio with HTTP Range, and the live monitor as Server-Sent Events.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace dictaphone {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0: any free port (see Server::port())
  std::filesystem::path dataDirectory;
  /// false: bind nothing; the server answers respondTo() only, as if at host:port (fuzzing).
  bool listen = true;
  /// An upload that receives nothing for this long is finished as it stands, interrupted.
  double uploadTimeoutSeconds = 60;
};

/// The default data folder: $XDG_DATA_HOME/mrec/dictaphone, or ~/.local/share/mrec/dictaphone.
std::filesystem::path defaultDataDirectory();

class Server {
 public:
  /// Locks the data folder (one server per folder), opens the clip store (recovering cut-off
  /// recordings) and binds the address; throws std::runtime_error if any fails.
  explicit Server(const ServerOptions& options);
  ~Server();
  int port() const;
  /// Serves until stop() (from another thread or a signal handler's thread).
  void run();
  void stop();
  /// Answers one raw HTTP/1.1 request given as bytes, exactly as if it had arrived on a
  /// connection, and returns the raw response (at most 16 KiB of its body: a stream such as
  /// the monitor ends there). The request handling's fuzzer drives the server through it.
  std::string respondTo(std::string_view rawRequest);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dictaphone
