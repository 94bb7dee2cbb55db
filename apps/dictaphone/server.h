// The Dictaphone's HTTP server: the page, a JSON API over the clip store and the studio, the
// clips' audio with HTTP Range, and the live monitor as Server-Sent Events.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
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
  /// Beyond loopback (a host that is not 127.x.x.x, ::1 or localhost) the server speaks
  /// HTTPS only and every page and request needs a login. Its certificate and key: these
  /// files, or (both empty) a self-signed pair made in the data folder's tls/ on the first
  /// such start.
  std::filesystem::path certificate, key;
  /// The password set on the first start beyond loopback; nullopt: one is made up
  /// (Server::madeUpPassword()). Later starts keep the password set then.
  std::optional<std::string> password;
};

/// Whether `host` is a loopback address or name, which plain HTTP may serve.
bool isLoopback(const std::string& host);

/// The default data folder: $XDG_DATA_HOME/mrec/dictaphone, or ~/.local/share/mrec/dictaphone.
std::filesystem::path defaultDataDirectory();

class Server {
 public:
  /// Locks the data folder (one server per folder), opens the clip store (recovering cut-off
  /// recordings) and binds the address; throws std::runtime_error if any fails.
  explicit Server(const ServerOptions& options);
  ~Server();
  int port() const;
  /// Whether it serves HTTPS with a login (beyond loopback).
  bool secure() const;
  /// Secure: the certificate's SHA-256 fingerprint (AB:CD:...), and the name to reach it by.
  std::string certificateFingerprint() const;
  std::string publicName() const;
  /// Secure: the password made up on this start, to be shown once.
  std::optional<std::string> madeUpPassword() const;
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
