#include "server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "byte_range.h"
#include "clip_name.h"
#include "clip_store.h"
#include "data_lock.h"
#include "disk_reserve.h"
#include "login.h"
#include "studio.h"
#include "tls_identity.h"
#include "uploads.h"
#include "web_assets.h"

namespace dictaphone {

using nlohmann::json;

namespace {

constexpr auto kMonitorPeriod = std::chrono::milliseconds(33);  // ~30 pictures a second
// A connection holds a pool thread for as long as it is open: a monitor for as long as its
// page, a client that sends its header slowly until it is done. At most kMaxMonitors threads
// stream the monitor (a browser opens one for all its tabs, see app.js); beyond that the
// monitor is refused 503, so 64 slow clients beside a full set of monitors still leave
// threads for the page, the API and the players (issue 14, item 8).
constexpr size_t kServerThreads = 128;
constexpr int kMaxMonitors = 16;
constexpr int kMonitorRetrySeconds = 5;
// An idle connection, or one whose peer neither sends nor reads, is dropped after this long.
constexpr time_t kSocketTimeoutSeconds = 5;
constexpr time_t kKeepAliveSeconds = 5;
// Every body the API takes is a small JSON object (a name, an input id, a type), but for an
// upload's chunk (at most kMaxUploadChunkBytes). httplib keeps a body whole in memory, so an
// unbounded one could take all of it.
constexpr size_t kMaxBodyBytes = 64 * 1024;
constexpr const char* kChunkPath = R"(/api/uploads/([0-9a-f]{16})/chunks/([0-9]{1,18}))";

bool isChunkPut(const httplib::Request& req) {
  static const std::regex chunk(kChunkPath);
  return req.method == "PUT" && std::regex_match(req.path, chunk);
}

size_t bodyLimit(const httplib::Request& req) {
  return isChunkPut(req) ? kMaxUploadChunkBytes : kMaxBodyBytes;
}

void sendTooLarge(const httplib::Request& req, httplib::Response& res);

// httplib (0.11) has one payload limit, the chunk's: every other body is read up to it (a
// body refused unread would be left on the connection, and a client still sending it would
// never see the answer) and answered 413 over kMaxBodyBytes before its handler runs.
httplib::Server::Handler small(httplib::Server::Handler handler) {
  return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    if (req.body.size() > kMaxBodyBytes) return sendTooLarge(req, res);
    handler(req, res);
  };
}

void sendTooLarge(const httplib::Request& req, httplib::Response& res) {
  const size_t limit = bodyLimit(req);
  res.status = 413;
  res.set_content(
      json{{"error", "too-large"},
           {"message", "the body is over " + (limit >= 1024 * 1024
                                                  ? std::to_string(limit / 1024 / 1024) + " MiB"
                                                  : std::to_string(limit / 1024) + " KiB")}}
          .dump(),
      "application/json");
}

json toJson(const Clip& clip) {
  return {{"id", clip.id},
          {"name", clip.name},
          {"type", clip.mimeType},
          {"created", clip.createdMs},
          {"duration", clip.durationSeconds},
          {"recording", clip.recording},
          {"interrupted", clip.interrupted},
          {"url", "/api/clips/" + clip.id + "/audio"},
          {"download", clip.name + "." + clip.extension()}};
}

void sendJson(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message) {
  sendJson(res, {{"error", code}, {"message", message}}, status);
}

std::string base64(const uint8_t* data, size_t size) {
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (size_t i = 0; i < size; i += 3) {
    const uint32_t n = uint32_t(data[i]) << 16 | (i + 1 < size ? uint32_t(data[i + 1]) << 8 : 0) |
                       (i + 2 < size ? data[i + 2] : 0);
    out += digits[n >> 18 & 63];
    out += digits[n >> 12 & 63];
    out += i + 1 < size ? digits[n >> 6 & 63] : '=';
    out += i + 2 < size ? digits[n & 63] : '=';
  }
  return out;
}

/// The body's JSON object, or an error response (and std::nullopt).
std::optional<json> bodyObject(const httplib::Request& req, httplib::Response& res) {
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    sendError(res, 400, "bad-json", "the body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

/// The body's clip name, if it has one that clipName() accepts.
std::optional<std::string> cleanName(const json& body) {
  if (!body.contains("name") || !body["name"].is_string()) return std::nullopt;
  return clipName(body["name"].get<std::string>());
}

}  // namespace

std::filesystem::path defaultDataDirectory() {
  if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data)
    return std::filesystem::path(data) / "mrec" / "dictaphone";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : ".") / ".local" / "share" / "mrec" / "dictaphone";
}

namespace {

// A connection made of bytes in memory: the request to read, and room for the response.
class MemoryStream final : public httplib::Stream {
 public:
  MemoryStream(std::string_view request, std::string host, int port)
      : request_(request), host_(std::move(host)), port_(port) {}
  bool is_readable() const override { return read_ < request_.size(); }
  bool is_writable() const override { return response_.size() < kResponseRoom; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, request_.size() - read_);
    std::memcpy(ptr, request_.data() + read_, n);
    read_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    response_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 40000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = host_;
    port = port_;
  }
  socket_t socket() const override { return INVALID_SOCKET; }
  std::string takeResponse() { return std::move(response_); }

 private:
  static constexpr size_t kResponseRoom = 16 * 1024;
  std::string_view request_;
  size_t read_ = 0;
  std::string response_;
  std::string host_;
  int port_;
};

// Host names are case-insensitive (RFC 9110 §4.2.3); browsers send them in lower case.
std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool isWildcard(const std::string& host) {
  return host == "0.0.0.0" || host == "::";
}

/// How a browser writes `host` in a URL's authority: IPv6 addresses in brackets.
std::string authorityOf(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

/// The names this machine may be reached by beyond loopback: its host name (and the
/// .local name mDNS gives it), the address listened on, or every interface's address when
/// that is a wildcard; then the loopback names.
std::vector<std::string> namesOfThisMachine(const std::string& listenHost) {
  std::vector<std::string> names;
  char hostName[256] = "";
  if (::gethostname(hostName, sizeof hostName - 1) == 0 && hostName[0] != '\0') {
    names.push_back(hostName);
    if (std::string(hostName).find('.') == std::string::npos)
      names.push_back(std::string(hostName) + ".local");
  }
  if (!isWildcard(listenHost)) {
    names.push_back(listenHost);
  } else if (ifaddrs* interfaces = nullptr; ::getifaddrs(&interfaces) == 0) {
    for (const ifaddrs* at = interfaces; at; at = at->ifa_next) {
      if (!at->ifa_addr || !(at->ifa_flags & IFF_UP)) continue;
      const int family = at->ifa_addr->sa_family;
      if (family != AF_INET && family != AF_INET6) continue;
      char text[INET6_ADDRSTRLEN] = "";
      const void* address =
          family == AF_INET ? static_cast<const void*>(
                                  &reinterpret_cast<const sockaddr_in*>(at->ifa_addr)->sin_addr)
                            : static_cast<const void*>(
                                  &reinterpret_cast<const sockaddr_in6*>(at->ifa_addr)->sin6_addr);
      // Link-local IPv6 addresses need a zone in a URL, which browsers do not take.
      if (family == AF_INET6 &&
          IN6_IS_ADDR_LINKLOCAL(&reinterpret_cast<const sockaddr_in6*>(at->ifa_addr)->sin6_addr))
        continue;
      if (::inet_ntop(family, address, text, sizeof text) && !isLoopback(text))
        names.push_back(text);
    }
    ::freeifaddrs(interfaces);
  }
  for (const char* loopback : {"localhost", "127.0.0.1", "::1"}) names.push_back(loopback);
  std::vector<std::string> unique;
  for (const std::string& name : names)
    if (std::find(unique.begin(), unique.end(), name) == unique.end()) unique.push_back(name);
  return unique;
}

/// The value of cookie `name` in the request's Cookie header; empty if there is none.
std::string cookieOf(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  size_t start = 0;
  while (start < header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::string_view pair(header.data() + start, end - start);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.substr(0, name.size() + 1) == name + "=")
      return std::string(pair.substr(name.size() + 1));
    start = end + 1;
  }
  return "";
}

// httplib::Server with its request processing open to a stream that is not a socket.
class HttpServer : public httplib::Server {
 public:
  std::string respond(std::string_view request, const std::string& host, int port) {
    MemoryStream stream(request, host, port);
    bool closed = false;
    process_request(stream, true, closed, nullptr);
    return stream.takeResponse();
  }
};

}  // namespace

bool isLoopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

struct Server::Impl {
  explicit Impl(const ServerOptions& options)
      : dataDirectory(options.dataDirectory.empty() ? defaultDataDirectory()
                                                    : options.dataDirectory),
        lock(dataDirectory),
        store(dataDirectory),
        reserve(store.directory() / "disk.reserve"),
        studio(store, reserve),
        uploads(store, reserve,
                std::chrono::milliseconds(int64_t(options.uploadTimeoutSeconds * 1000))),
        names(options.listen && !isLoopback(options.host) ? namesOfThisMachine(options.host)
                                                          : std::vector<std::string>{}),
        identity(names.empty() ? std::nullopt : std::optional(identityFor(options))),
        login(names.empty()
                  ? nullptr
                  : std::make_unique<Login>(dataDirectory / "password", options.password)),
        server(identity ? std::unique_ptr<httplib::Server>(new httplib::SSLServer(
                              identity->certificate.c_str(), identity->key.c_str()))
                        : std::make_unique<HttpServer>()),
        http(*server) {
    if (!http.is_valid())
      throw std::runtime_error("cannot serve HTTPS with " + identity->certificate.string() +
                               " and " + identity->key.string());
    http.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
    host = options.host;
    if (!options.listen)
      port = options.port;
    else
      port = options.port == 0
                 ? http.bind_to_any_port(options.host)
                 : (http.bind_to_port(options.host, options.port) ? options.port : -1);
    if (port < 0)
      throw std::runtime_error("cannot listen on " + options.host + ":" +
                               std::to_string(options.port));
    const std::string suffix = ":" + std::to_string(port);
    for (const std::string& host :
         {options.host, std::string("localhost"), std::string("127.0.0.1"), std::string("[::1]")})
      allowedHosts.insert(lowercase(host + suffix));
    for (const std::string& name : names)
      allowedHosts.insert(lowercase(authorityOf(name) + suffix));
    routes();
  }

  std::string scheme() const { return login ? "https://" : "http://"; }
  bool allowedOrigin(const std::string& origin) const {
    return origin.rfind(scheme(), 0) == 0 &&
           allowedHosts.count(lowercase(origin.substr(scheme().size())));
  }

  TlsIdentity identityFor(const ServerOptions& options) const {
    if (options.certificate.empty() != options.key.empty())
      throw std::runtime_error("give both the certificate and its key, or neither");
    if (!options.certificate.empty()) return givenTlsIdentity(options.certificate, options.key);
    return ownTlsIdentity(dataDirectory / "tls", names);
  }

  void routes();
  void guards();
  bool loggedIn(const httplib::Request& req, httplib::Response& res);
  void loginRoutes();
  void pageRoutes();
  void clipRoutes();
  void recordingRoutes();
  void uploadRoutes();
  void serveAudio(const httplib::Request& req, httplib::Response& res);
  bool streamMonitor(httplib::DataSink& sink);

  std::filesystem::path dataDirectory;
  DataLock lock;  // before the store: its recovery must never run beside a live instance
  ClipStore store;
  DiskReserve reserve;
  Studio studio;
  Uploads uploads;
  /// Beyond loopback: the names the machine answers to (the certificate's), its certificate
  /// and its login; empty, nullopt and null on loopback.
  std::vector<std::string> names;
  std::optional<TlsIdentity> identity;
  std::unique_ptr<Login> login;
  std::unique_ptr<httplib::Server> server;  ///< an HttpServer on loopback, else HTTPS
  httplib::Server& http;
  std::string host;
  int port = -1;
  std::set<std::string> allowedHosts;
  std::atomic<bool> stopping{false};
  std::atomic<int> monitors{0};  // monitor streams open now
};

void Server::Impl::routes() {
  guards();
  loginRoutes();
  pageRoutes();
  clipRoutes();
  recordingRoutes();
  uploadRoutes();
}

// What every request meets before and after its handler: the limits, the host and origin
// checks, and the errors a handler throws, as JSON.
void Server::Impl::guards() {
  // Bodies over the chunk limit are answered 413 from their Content-Length by httplib, skipped
  // unread into memory; small() refuses the others over kMaxBodyBytes.
  http.set_payload_max_length(kMaxUploadChunkBytes);
  http.set_read_timeout(kSocketTimeoutSeconds, 0);
  http.set_write_timeout(kSocketTimeoutSeconds, 0);
  http.set_keep_alive_timeout(kKeepAliveSeconds);
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (res.status != 413 || !res.body.empty())
          return httplib::Server::HandlerResponse::Unhandled;
        sendTooLarge(req, res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    // DNS rebinding: only our own names reach the handlers; a foreign page cannot change state.
    if (!allowedHosts.count(lowercase(req.get_header_value("Host")))) {
      sendError(res, 403, "foreign-host", "this server answers to its own address only");
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool changesState = req.method != "GET" && req.method != "HEAD";
    if (changesState && req.has_header("Origin") &&
        !allowedOrigin(req.get_header_value("Origin"))) {
      sendError(res, 403, "foreign-origin", "requests from other sites are refused");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!loggedIn(req, res)) return httplib::Server::HandlerResponse::Handled;
    // httplib (0.11) applies the payload limit to a Content-Length only: a chunked body, or
    // one read until the connection closes, would grow without bound.
    const bool mayHaveBody = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
    if (req.has_header("Transfer-Encoding") || (mayHaveBody && !req.has_header("Content-Length"))) {
      sendError(res, 411, "length-required", "send the body with a Content-Length");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const StudioError& e) {
      sendError(res, e.status, e.code, e.what());
    } catch (const OutOfSequence& e) {
      sendJson(res, {{"error", "out-of-sequence"}, {"message", e.what()}, {"expected", e.expected}},
               409);
    } catch (const std::exception& e) {
      sendError(res, 500, "internal", e.what());
    }
  });
}

// Beyond loopback, every page and request but the login's needs an open session: the page
// sends the browser to the login, anything else is answered 401.
bool Server::Impl::loggedIn(const httplib::Request& req, httplib::Response& res) {
  if (!login) return true;
  if (req.path == "/login" || (req.path == "/style.css" && req.method == "GET")) return true;
  if (login->isOpen(cookieOf(req, Login::kCookie))) return true;
  if (req.method == "GET" && (req.path == "/" || req.path == "/index.html")) {
    res.status = 303;
    res.set_header("Location", "/login");
    return false;
  }
  sendError(res, 401, "login-required", "log in first (POST /login with the password)");
  return false;
}

// The login beyond loopback: a form for the page, JSON for a program ({"password": ...}).
void Server::Impl::loginRoutes() {
  if (!login) return;
  const auto page = [](httplib::Response& res, int status, const std::string& message) {
    std::string body(findAsset("/login.html")->body);
    const std::string mark = "<!--message-->";
    body.replace(body.find(mark), mark.size(), message);  // a text of ours: nothing to escape
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body, "text/html; charset=utf-8");
  };
  http.Get("/login",
           [page](const httplib::Request&, httplib::Response& res) { page(res, 200, ""); });
  http.Post(
      "/login", small([this, page](const httplib::Request& req, httplib::Response& res) {
        const bool form =
            req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0;
        std::string password;
        if (form) {
          httplib::Params params;
          httplib::detail::parse_query_text(req.body, params);
          if (const auto found = params.find("password"); found != params.end())
            password = found->second;
        } else if (const json body = json::parse(req.body, nullptr, false);
                   body.is_object() && body.contains("password") && body["password"].is_string()) {
          password = body["password"];
        }
        const Login::Attempt attempt = login->logIn(password, req.remote_addr);
        if (attempt.outcome == Login::Attempt::Accepted) {
          const auto seconds =
              std::chrono::duration_cast<std::chrono::seconds>(Login::kSessionLength);
          res.set_header("Set-Cookie", std::string(Login::kCookie) + "=" + attempt.session +
                                           "; Path=/; Max-Age=" + std::to_string(seconds.count()) +
                                           "; HttpOnly; Secure; SameSite=Strict");
          if (!form) return sendJson(res, {{"login", "ok"}});
          res.status = 303;
          res.set_header("Location", "/");
          return;
        }
        const bool tooMany = attempt.outcome == Login::Attempt::TooMany;
        const std::string wait = std::to_string(attempt.retryAfterSeconds);
        if (attempt.retryAfterSeconds > 0) res.set_header("Retry-After", wait);
        const std::string message =
            tooMany ? "Too many wrong passwords: try again in " + wait + " s."
                    : "Wrong password." +
                          (attempt.retryAfterSeconds > 0 ? " Wait " + wait + " s." : "");
        if (form) return page(res, tooMany ? 429 : 401, message);
        sendError(res, tooMany ? 429 : 401, tooMany ? "too-many-logins" : "wrong-password",
                  message);
      }));
}

// The page itself, the formats it offers, and the server's inputs.
void Server::Impl::pageRoutes() {
  http.Get(R"(/(|index\.html|app\.js|device\.js|style\.css))",
           [](const httplib::Request& req, httplib::Response& res) {
             const Asset* asset = findAsset(req.path == "/" ? "/index.html" : req.path);
             res.set_header("Cache-Control", "no-cache");
             res.set_content(std::string(asset->body), std::string(asset->type).c_str());
           });

  http.Get("/api/formats", [](const httplib::Request&, httplib::Response& res) {
    json formats = json::array();
    for (const auto& format : Studio::formats())
      formats.push_back({{"type", format.type}, {"label", format.label}});
    sendJson(res, formats);
  });
  http.Get("/api/inputs", [this](const httplib::Request&, httplib::Response& res) {
    json inputs = json::array();
    for (const auto& input : studio.inputs())
      inputs.push_back({{"id", input.id}, {"label", input.label}});
    sendJson(res, inputs);
  });
  http.Put("/api/input", small([this](const httplib::Request& req, httplib::Response& res) {
             const auto body = bodyObject(req, res);
             if (!body) return;
             if (!body->contains("id") || !(*body)["id"].is_string())
               return sendError(res, 400, "bad-input", "give the input's id");
             studio.select((*body)["id"]);
             sendJson(res, {{"input", (*body)["id"]}});
           }));
}

// The clips: listed, renamed, deleted, played.
void Server::Impl::clipRoutes() {
  http.Get("/api/clips", [this](const httplib::Request&, httplib::Response& res) {
    json clips = json::array();
    for (const auto& clip : store.list())
      if (!clip.recording) clips.push_back(toJson(clip));
    sendJson(res, clips);
  });
  http.Patch(R"(/api/clips/([0-9a-f]{16}))",
             small([this](const httplib::Request& req, httplib::Response& res) {
               const auto body = bodyObject(req, res);
               if (!body) return;
               const auto name = cleanName(*body);
               if (!name)
                 return sendError(
                     res, 400, "bad-name",
                     "a clip needs a name: 1-200 characters, none of them control characters");
               if (!store.rename(req.matches[1], *name))
                 return sendError(res, 404, "no-clip", "no such clip");
               sendJson(res, toJson(*store.find(req.matches[1])));
             }));
  http.Delete(R"(/api/clips/([0-9a-f]{16}))",
              small([this](const httplib::Request& req, httplib::Response& res) {
                const auto clip = store.find(req.matches[1]);
                if (!clip || clip->recording) return sendError(res, 404, "no-clip", "no such clip");
                store.remove(clip->id);
                res.status = 204;
              }));
  http.Get(R"(/api/clips/([0-9a-f]{16})/audio)",
           [this](const httplib::Request& req, httplib::Response& res) { serveAudio(req, res); });
}

// The server's own recording of its input, and the live monitor of that input.
void Server::Impl::recordingRoutes() {
  http.Post("/api/recording", small([this](const httplib::Request& req, httplib::Response& res) {
              const auto body = bodyObject(req, res);
              if (!body) return;
              const std::string type = body->value("type", "audio/ogg;codecs=opus");
              sendJson(res, toJson(studio.start(type)), 201);
            }));
  http.Post("/api/recording/pause", small([this](const httplib::Request&, httplib::Response& res) {
              studio.pause();
              sendJson(res, {{"state", "paused"}});
            }));
  http.Post("/api/recording/resume", small([this](const httplib::Request&, httplib::Response& res) {
              studio.resume();
              sendJson(res, {{"state", "recording"}});
            }));
  http.Post("/api/recording/stop",
            small([this](const httplib::Request& req, httplib::Response& res) {
              // The name asked for on stop, if the page sends it along; kept even when stop fails.
              const json body = json::parse(req.body, nullptr, false);
              sendJson(res, toJson(studio.stop(body.is_object() ? cleanName(body) : std::nullopt)));
            }));
  http.Get("/api/status", [this](const httplib::Request&, httplib::Response& res) {
    const StudioStatus status = studio.status();
    sendJson(res, {{"state", status.state},
                   {"elapsed", status.elapsedSeconds},
                   {"input", status.input},
                   {"message", status.message}});
  });
  http.Get("/api/monitor", [this](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    if (monitors.fetch_add(1) >= kMaxMonitors) {
      monitors.fetch_sub(1);
      res.set_header("Retry-After", std::to_string(kMonitorRetrySeconds));
      // (httplib 0.11 keeps the connection open for the keep-alive timeout even if the
      // response says Connection: close: its thread is busy for at most 5 s more.)
      return sendError(res, 503, "too-many-monitors",
                       "the live monitor is open " + std::to_string(kMaxMonitors) +
                           " times already: close a Dictaphone window elsewhere, or retry");
    }
    // The releaser runs when the Response goes, however the stream ended (or never began).
    res.set_chunked_content_provider(
        "text/event-stream",
        [this](size_t, httplib::DataSink& sink) { return streamMonitor(sink); },
        [this](bool) { monitors.fetch_sub(1); });
  });
}

// A browser's own recording, uploaded as it records (uploads.h).
void Server::Impl::uploadRoutes() {
  http.Post("/api/uploads", small([this](const httplib::Request& req, httplib::Response& res) {
              const auto body = bodyObject(req, res);
              if (!body) return;
              if (!body->contains("type") || !(*body)["type"].is_string())
                return sendError(res, 400, "bad-type", "give the recorder's type");
              const auto name = cleanName(*body);
              if (body->contains("name") && !name)
                return sendError(
                    res, 400, "bad-name",
                    "a clip needs a name: 1-200 characters, none of them control characters");
              const Clip clip = uploads.create((*body)["type"], name.value_or("My unnamed clip"));
              json answer = toJson(clip);
              answer["expected"] = 0;
              answer["timeout"] = double(uploads.timeout().count()) / 1000;
              sendJson(res, answer, 201);
            }));
  http.Put(kChunkPath, [this](const httplib::Request& req, httplib::Response& res) {
    const ChunkAnswer answer =
        uploads.append(req.matches[1], std::stoull(req.matches[2].str()), req.body);
    sendJson(res, {{"appended", answer.appended},
                   {"expected", answer.progress.nextSequence},
                   {"bytes", answer.progress.bytes}});
  });
  http.Get(R"(/api/uploads/([0-9a-f]{16}))",
           [this](const httplib::Request& req, httplib::Response& res) {
             const UploadProgress progress = uploads.touch(req.matches[1]);
             sendJson(res, {{"id", req.matches[1].str()},
                            {"expected", progress.nextSequence},
                            {"bytes", progress.bytes}});
           });
  http.Post(R"(/api/uploads/([0-9a-f]{16})/finish)",
            small([this](const httplib::Request& req, httplib::Response& res) {
              const json body = json::parse(req.body, nullptr, false);
              std::string message;
              json answer = toJson(uploads.finish(
                  req.matches[1], body.is_object() ? cleanName(body) : std::nullopt, &message));
              if (!message.empty()) answer["message"] = message;
              sendJson(res, answer);
            }));
}

bool Server::Impl::streamMonitor(httplib::DataSink& sink) {
  std::this_thread::sleep_for(kMonitorPeriod);
  if (stopping) return false;
  const MonitorSnapshot snapshot = studio.snapshot();
  const StudioStatus status = studio.status();
  const json event = {{"state", status.state},
                      {"elapsed", status.elapsedSeconds},
                      {"input", status.input},
                      {"message", status.message},
                      {"peak", snapshot.peak},
                      {"clipped", snapshot.clipped},
                      {"wave", base64(snapshot.waveform.data(), snapshot.waveform.size())}};
  const std::string text = "data: " + event.dump() + "\n\n";
  return sink.is_writable() && sink.write(text.data(), text.size());
}

void Server::Impl::serveAudio(const httplib::Request& req, httplib::Response& res) {
  const auto clip = store.find(req.matches[1]);
  if (!clip) return sendError(res, 404, "no-clip", "no such clip");
  const auto path = store.pathOf(*clip);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return sendError(res, 404, "no-clip", "the clip's audio is gone");
  const std::string type = clip->mimeType.substr(0, clip->mimeType.find(';'));  // the essence
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("Content-Disposition",
                 "inline; filename=\"" + clip->id + "." + clip->extension() + "\"");
  const RangeAnswer answer = answerRanges(req.ranges, size);
  // httplib would apply the ranges to the answer again, and gets an end past the file, a
  // suffix among several and an empty file wrong (bytes 0-18446744073709551615/0): the answer
  // made here is final. httplib's own Request is not const, so this write is well-defined.
  const_cast<httplib::Request&>(req).ranges.clear();
  if (answer.kind == RangeAnswer::Unsatisfiable) {
    res.status = 416;
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    return;
  }
  if (size == 0) return res.set_content("", type);  // httplib sends no length for a provider of 0
  uint64_t first = 0, count = size;
  if (answer.kind == RangeAnswer::Partial) {
    first = answer.first;
    count = answer.length;
    res.status = 206;
    res.set_header("Content-Range", "bytes " + std::to_string(first) + "-" +
                                        std::to_string(first + count - 1) + "/" +
                                        std::to_string(size));
  } else {
    res.status = 200;
  }
  res.set_content_provider(
      count, type, [path, first](size_t offset, size_t length, httplib::DataSink& sink) {
        std::ifstream file(path, std::ios::binary);
        file.seekg(std::streamoff(first + offset));
        std::vector<char> buffer(std::min<size_t>(length, 64 * 1024));
        while (length > 0 && file) {
          file.read(buffer.data(), std::streamsize(std::min(length, buffer.size())));
          const auto got = size_t(file.gcount());
          if (got == 0 || !sink.write(buffer.data(), got)) return false;
          length -= got;
        }
        return true;
      });
}

Server::Server(const ServerOptions& options) : impl_(std::make_unique<Impl>(options)) {}

Server::~Server() {
  stop();
}

int Server::port() const {
  return impl_->port;
}

void Server::run() {
  impl_->http.listen_after_bind();
}

void Server::stop() {
  impl_->stopping = true;
  impl_->http.stop();
}

std::string Server::respondTo(std::string_view rawRequest) {
  auto* plain = dynamic_cast<HttpServer*>(&impl_->http);
  if (!plain) throw std::logic_error("respondTo() answers for a loopback server only");
  return plain->respond(rawRequest, impl_->host, impl_->port);
}

bool Server::secure() const {
  return impl_->login != nullptr;
}

std::string Server::certificateFingerprint() const {
  return impl_->identity ? impl_->identity->fingerprint : "";
}

std::string Server::publicName() const {
  return impl_->names.empty() ? impl_->host : impl_->names.front();
}

std::optional<std::string> Server::madeUpPassword() const {
  return impl_->login ? impl_->login->madeUpPassword() : std::nullopt;
}

}  // namespace dictaphone
