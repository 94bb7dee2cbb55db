// The Dictaphone's HTTP server: the page, a JSON API over the clip store and the studio, the
// clips' audio with HTTP Range, and the live monitor as Server-Sent Events.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace dictaphone {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0: any free port (see Server::port())
  std::filesystem::path dataDirectory;
};

/// The default data folder: $XDG_DATA_HOME/mrec/dictaphone, or ~/.local/share/mrec/dictaphone.
std::filesystem::path defaultDataDirectory();

class Server {
 public:
  /// Opens the clip store (recovering cut-off recordings) and binds the address; throws
  /// std::runtime_error if either fails.
  explicit Server(const ServerOptions& options);
  ~Server();
  int port() const;
  /// Serves until stop() (from another thread or a signal handler's thread).
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dictaphone
