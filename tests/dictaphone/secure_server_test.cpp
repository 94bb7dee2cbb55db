// The Dictaphone beyond loopback (issue 16, point 5): `mrec dictaphone --listen 0.0.0.0:0` as
// a process, asked with curl and checked with openssl: HTTPS only, its certificate and its
// fingerprint, the login, its cookie, the slowed-down wrong passwords, the host checks.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <regex>
#include <thread>

#include "support/media_tools.h"

namespace dictaphone {
namespace {

using mrec::test::runCommand;

struct Started {
  std::string pid;
  int port = 0;
  std::string name;  ///< the host name it printed
  std::string output;
};

/// Starts the server in the background; `environment` goes before the command.
Started start(const std::filesystem::path& data, const std::filesystem::path& log,
              const std::string& environment, const std::string& options = "") {
  Started started;
  const auto launched = runCommand(environment + " '" + std::string(MREC_CLI_PATH) +
                                   "' dictaphone --listen 0.0.0.0:0 --data '" + data.string() +
                                   "' " + options + " > '" + log.string() + "' 2>&1 & echo $!");
  started.pid = launched.output.substr(0, launched.output.find('\n'));
  const std::regex url(R"(Web dictaphone at https://([^ /]+):(\d+)/)");
  for (int i = 0; i < 1000; ++i) {
    started.output = runCommand("cat '" + log.string() + "'").output;
    std::smatch match;
    // The fingerprint line follows the address: wait for it too.
    if (std::regex_search(started.output, match, url) &&
        started.output.find("fingerprint") != std::string::npos) {
      started.name = match[1];
      started.port = std::stoi(match[2]);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return started;
}

void stop(const Started& started) {
  runCommand("kill " + started.pid + "; while kill -0 " + started.pid +
             " 2>/dev/null; do sleep 0.05; done");
}

std::string after(const std::string& text, const std::string& label) {
  const auto at = text.find(label);
  if (at == std::string::npos) return "";
  const auto from = at + label.size();
  return text.substr(from, text.find('\n', from) - from);
}

/// curl's status (and whatever `-w` adds) for `path` on the server, certificate unchecked.
std::string ask(const Started& server, const std::string& path,
                const std::string& curlOptions = "") {
  return runCommand("curl -sk -o /dev/null -w '%{http_code}' " + curlOptions +
                    " 'https://127.0.0.1:" + std::to_string(server.port) + path + "'")
      .output;
}

std::string logIn(const Started& server, const std::string& password) {
  return runCommand("curl -sk -D - -o /dev/null -H 'Content-Type: application/json' --data '" +
                    std::string("{\"password\":\"") + password +
                    "\"}' https://127.0.0.1:" + std::to_string(server.port) + "/login")
      .output;
}

std::string cookieIn(const std::string& headers) {
  std::smatch match;
  static const std::regex cookie(R"(Set-Cookie: (mrec_session=[0-9a-f]+);)", std::regex::icase);
  return std::regex_search(headers, match, cookie) ? match[1].str() : "";
}

std::string fingerprintOfFile(const std::filesystem::path& certificate) {
  return after(
      runCommand("openssl x509 -noout -fingerprint -sha256 -in '" + certificate.string() + "'")
          .output,
      "Fingerprint=");
}

std::string servedFingerprint(const Started& server) {
  return after(runCommand("openssl s_client -connect 127.0.0.1:" + std::to_string(server.port) +
                          " < /dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256")
                   .output,
               "Fingerprint=");
}

TEST(SecureServer, BeyondLoopbackItServesHttpsOnlyAndEveryRequestNeedsALogin) {
  mrec::test::TempDir dir;
  const auto data = dir / "data";
  Started server = start(data, dir / "log", "env -u MREC_DICTAPHONE_PASSWORD");
  ASSERT_NE(server.port, 0) << server.output;
  const std::string password = after(server.output, "to set another): ");
  ASSERT_EQ(password.size(), 17u) << server.output;

  // Its own certificate, made in the data folder, served, and its fingerprint printed.
  const std::string printed = after(server.output, "fingerprint: ");
  EXPECT_EQ(printed.size(), 95u) << "32 bytes as AB:CD:...";
  EXPECT_EQ(fingerprintOfFile(data / "tls" / "cert.pem"), printed);
  EXPECT_EQ(servedFingerprint(server), printed);
  struct stat key {};
  ASSERT_EQ(::stat((data / "tls" / "key.pem").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);

  // No plain HTTP; the page sends to the login, the API refuses, the login page is open.
  EXPECT_EQ(runCommand("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" +
                       std::to_string(server.port) + "/")
                .output,
            "000");
  EXPECT_EQ(
      runCommand("curl -sk -o /dev/null -w '%{http_code} %{redirect_url}' https://127.0.0.1:" +
                 std::to_string(server.port) + "/")
          .output,
      "303 https://127.0.0.1:" + std::to_string(server.port) + "/login");
  EXPECT_EQ(ask(server, "/api/clips"), "401");
  EXPECT_EQ(ask(server, "/app.js"), "401");
  EXPECT_EQ(ask(server, "/login"), "200");
  EXPECT_EQ(ask(server, "/style.css"), "200");

  // A wrong password opens nothing; the right one gives a cookie only HTTPS sends, only to
  // this site, that scripts cannot read.
  EXPECT_EQ(cookieIn(logIn(server, "not-the-password")), "");
  const std::string headers = logIn(server, password);
  const std::string cookie = cookieIn(headers);
  ASSERT_FALSE(cookie.empty()) << headers;
  EXPECT_NE(headers.find("; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=Strict"),
            std::string::npos)
      << headers;
  EXPECT_EQ(ask(server, "/api/clips", "-b '" + cookie + "'"), "200");
  EXPECT_EQ(ask(server, "/", "-b '" + cookie + "'"), "200");
  EXPECT_EQ(ask(server, "/api/clips", "-b 'mrec_session=" + std::string(64, 'a') + "'"), "401");

  // The host and origin checks, with the machine's real name.
  const std::string authority = server.name + ":" + std::to_string(server.port);
  EXPECT_EQ(runCommand("curl -sk -o /dev/null -w '%{http_code}' -b '" + cookie + "' --resolve '" +
                       authority + ":127.0.0.1' 'https://" + authority + "/api/clips'")
                .output,
            "200")
      << server.name;
  EXPECT_EQ(ask(server, "/api/clips", "-b '" + cookie + "' -H 'Host: evil.example'"), "403");
  EXPECT_EQ(ask(server, "/api/clips",
                "-b '" + cookie + "' -H 'Host: LocalHost:" + std::to_string(server.port) + "'"),
            "200")
      << "host names are case-insensitive";
  const std::string put = "-b '" + cookie +
                          "' -X PUT -H 'Content-Type: application/json' "
                          "--data '{}' ";
  EXPECT_EQ(ask(server, "/api/input", put + "-H 'Origin: https://" + authority + "'"), "400")
      << "its own origin reaches the handler (which wants an id)";
  EXPECT_EQ(ask(server, "/api/input", put + "-H 'Origin: http://" + authority + "'"), "403");

  // The password is kept hashed, readable by its owner only.
  const std::string kept = runCommand("cat '" + (data / "password").string() + "'").output;
  EXPECT_EQ(kept.find(password), std::string::npos);
  EXPECT_EQ(kept.rfind("pbkdf2-sha256$600000$", 0), 0u) << kept;
  struct stat hash {};
  ASSERT_EQ(::stat((data / "password").c_str(), &hash), 0);
  EXPECT_EQ(hash.st_mode & 0777, 0600u);

  // The next start keeps both: no new password shown, the same certificate.
  stop(server);
  server = start(data, dir / "log2", "MREC_DICTAPHONE_PASSWORD=ignored-now");
  ASSERT_NE(server.port, 0) << server.output;
  EXPECT_EQ(server.output.find("Password"), std::string::npos) << server.output;
  EXPECT_EQ(after(server.output, "fingerprint: "), printed);
  EXPECT_FALSE(cookieIn(logIn(server, password)).empty());
  EXPECT_EQ(cookieIn(logIn(server, "ignored-now")), "");
  stop(server);
}

TEST(SecureServer, WrongPasswordsFromAnAddressWaitLongerEachTime) {
  mrec::test::TempDir dir;
  Started server = start(dir / "data", dir / "log", "MREC_DICTAPHONE_PASSWORD=correct-horse");
  ASSERT_NE(server.port, 0) << server.output;
  EXPECT_EQ(server.output.find("Password"), std::string::npos) << "it was given, not made up";
  for (int i = 0; i < 3; ++i) EXPECT_NE(logIn(server, "wrong").find(" 401"), std::string::npos);
  const std::string fourth = logIn(server, "wrong");
  EXPECT_NE(fourth.find(" 401"), std::string::npos) << fourth;
  EXPECT_NE(fourth.find("Retry-After: 2"), std::string::npos) << fourth;
  // Even the right password waits its turn, then opens a session.
  const std::string early = logIn(server, "correct-horse");
  EXPECT_NE(early.find(" 429"), std::string::npos) << early;
  EXPECT_EQ(cookieIn(early), "");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_FALSE(cookieIn(logIn(server, "correct-horse")).empty());

  // The page's form logs in too, and goes on to the page.
  const auto form = runCommand(
                        "curl -sk -D - -o /dev/null --data-urlencode password=correct-horse "
                        "https://127.0.0.1:" +
                        std::to_string(server.port) + "/login")
                        .output;
  EXPECT_NE(form.find(" 303"), std::string::npos) << form;
  EXPECT_NE(form.find("Location: /"), std::string::npos) << form;
  EXPECT_FALSE(cookieIn(form).empty());
  stop(server);
}

TEST(SecureServer, ServesTheCertificateItIsGiven) {
  mrec::test::TempDir dir;
  const auto certificate = dir / "cert.pem", key = dir / "key.pem";
  ASSERT_EQ(runCommand("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                       "-subj /CN=dictaphone.test -days 2 -keyout '" +
                       key.string() + "' -out '" + certificate.string() + "'")
                .status,
            0);
  const std::string options = "--cert '" + certificate.string() + "' --key '" + key.string() + "'";
  Started server = start(dir / "data", dir / "log", "MREC_DICTAPHONE_PASSWORD=pw", options);
  ASSERT_NE(server.port, 0) << server.output;
  EXPECT_EQ(servedFingerprint(server), fingerprintOfFile(certificate));
  EXPECT_EQ(after(server.output, "fingerprint: "), fingerprintOfFile(certificate));
  EXPECT_FALSE(std::filesystem::exists(dir / "data" / "tls")) << "none made";
  stop(server);

  const std::string mrec = "'" + std::string(MREC_CLI_PATH) + "' dictaphone --listen 0.0.0.0:0 ";
  EXPECT_EQ(runCommand(mrec + "--cert '" + certificate.string() + "'").status, 2)
      << "a certificate without its key";
  EXPECT_NE(runCommand(mrec + "--data '" + (dir / "data2").string() + "' --cert '" + key.string() +
                       "' --key '" + key.string() + "'")
                .status,
            0)
      << "a key is not a certificate";
}

}  // namespace
}  // namespace dictaphone
