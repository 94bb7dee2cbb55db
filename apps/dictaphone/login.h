// The Dictaphone's password beyond loopback. The password is set on the first such start
// (given, or made up and shown once) and kept only as a slow hash (PBKDF2-HMAC-SHA256, 600000
// iterations, OWASP's figure for it); a login opens a session named by a random cookie, kept
// in memory; failed logins from one address are slowed down, doubling the wait each time.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace dictaphone {

class Login {
 public:
  /// Reads the hash from `file`, or sets the password and writes its hash there (readable by
  /// its owner only): `password` if given, else a made-up one, then in madeUpPassword().
  /// Throws std::runtime_error if the file can be neither read nor written, or holds no hash.
  Login(const std::filesystem::path& file, const std::optional<std::string>& password);

  /// The password made up on this start, to be shown once; nullopt if it was given or set
  /// before.
  const std::optional<std::string>& madeUpPassword() const { return madeUp_; }

  struct Attempt {
    enum Outcome { Accepted, Refused, TooMany } outcome;
    std::string session;    ///< Accepted: the session's cookie value
    int retryAfterSeconds;  ///< Refused or TooMany: how long until `client` may try again
  };
  /// Checks `password` for a login from address `client`.
  Attempt logIn(const std::string& password, const std::string& client);
  /// Whether `session` names a session opened by a login, and not expired.
  bool isOpen(const std::string& session);

  /// The session cookie's name, and how long a session lasts.
  static constexpr const char* kCookie = "mrec_session";
  static constexpr std::chrono::hours kSessionLength{24 * 30};

 private:
  using Clock = std::chrono::steady_clock;
  struct Failures {
    int count = 0;
    Clock::time_point until;  ///< no attempt before this
  };

  std::string salt_;
  std::string hash_;
  int iterations_ = 0;
  std::optional<std::string> madeUp_;
  std::mutex mutex_;
  std::map<std::string, Clock::time_point> sessions_;  ///< cookie value: expiry
  std::map<std::string, Failures> failures_;           ///< per client address
};

}  // namespace dictaphone
