#include "login.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "private_file.h"

namespace dictaphone {

namespace {

constexpr int kIterations = 600000;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr size_t kSessionBytes = 32;
// Three tries are free; from the fourth failure on, the next try waits 2, 4, 8 ... seconds,
// at most five minutes.
constexpr int kFreeFailures = 3;
constexpr int kMaxWaitSeconds = 300;
// Beyond this many addresses or sessions, the ones whose wait or life is over are forgotten.
constexpr size_t kTableRoom = 4096;

std::string randomBytes(size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), int(count)) != 1)
    throw std::runtime_error("no random bytes from OpenSSL");
  return bytes;
}

std::string hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (const char c : bytes) {
    text += kHex[static_cast<unsigned char>(c) >> 4];
    text += kHex[static_cast<unsigned char>(c) & 0xF];
  }
  return text;
}

std::optional<std::string> unhex(const std::string& text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (size_t i = 0; i < text.size(); i += 2) {
    const auto digit = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int high = digit(text[i]), low = digit(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

std::string derive(const std::string& password, const std::string& salt, int iterations) {
  std::string hash(kHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), int(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), int(salt.size()),
                        iterations, EVP_sha256(), int(kHashBytes),
                        reinterpret_cast<unsigned char*>(hash.data())) != 1)
    throw std::runtime_error("cannot hash the password");
  return hash;
}

// 15 letters and digits in three groups (about 77 bits), none that reads as another (0/o,
// 1/l).
std::string inventPassword() {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";  // 32
  const std::string bytes = randomBytes(15);
  std::string password;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0 && i % 5 == 0) password += '-';
    password += kAlphabet[static_cast<unsigned char>(bytes[i]) % 32];
  }
  return password;
}

}  // namespace

Login::Login(const std::filesystem::path& file, const std::optional<std::string>& password) {
  if (!std::filesystem::exists(file)) {
    if (password && password->empty()) throw std::runtime_error("the password is empty");
    const std::string chosen = password ? *password : inventPassword();
    if (!password) madeUp_ = chosen;
    iterations_ = kIterations;
    salt_ = randomBytes(kSaltBytes);
    hash_ = derive(chosen, salt_, iterations_);
    writeFileAtomically(
        file,
        "pbkdf2-sha256$" + std::to_string(iterations_) + "$" + hex(salt_) + "$" + hex(hash_) + "\n",
        0600);
    return;
  }
  // pbkdf2-sha256$ITERATIONS$SALT$HASH, in hex
  std::istringstream record(readWholeFile(file));
  std::string scheme, iterations, salt, hash;
  std::getline(record, scheme, '$');
  std::getline(record, iterations, '$');
  std::getline(record, salt, '$');
  std::getline(record, hash);
  const auto saltBytes = unhex(salt), hashBytes = unhex(hash);
  if (scheme != "pbkdf2-sha256" || iterations.empty() ||
      !std::all_of(iterations.begin(), iterations.end(), ::isdigit) || iterations.size() > 9 ||
      !saltBytes || !hashBytes || hashBytes->size() != kHashBytes)
    throw std::runtime_error(file.string() +
                             " holds no password hash: remove it to set a new password");
  iterations_ = std::stoi(iterations);
  salt_ = *saltBytes;
  hash_ = *hashBytes;
}

Login::Attempt Login::logIn(const std::string& password, const std::string& client) {
  const auto waitLeft = [](Clock::time_point until, Clock::time_point now) {
    return int(std::chrono::ceil<std::chrono::seconds>(until - now).count());
  };
  {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    const auto found = failures_.find(client);
    if (found != failures_.end() && now < found->second.until)
      return {Attempt::TooMany, "", waitLeft(found->second.until, now)};
  }
  // The slow part, outside the lock: logins from several addresses hash side by side.
  const std::string tried = derive(password, salt_, iterations_);
  const bool right = CRYPTO_memcmp(tried.data(), hash_.data(), kHashBytes) == 0;

  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  if (!right) {
    if (failures_.size() >= kTableRoom)
      std::erase_if(failures_, [&](const auto& entry) { return entry.second.until <= now; });
    Failures& failures = failures_[client];
    ++failures.count;
    const int excess = failures.count - kFreeFailures;
    const int wait = excess <= 0 ? 0 : std::min(kMaxWaitSeconds, 1 << std::min(excess, 9));
    failures.until = now + std::chrono::seconds(wait);
    return {Attempt::Refused, "", wait};
  }
  failures_.erase(client);
  if (sessions_.size() >= kTableRoom)
    std::erase_if(sessions_, [&](const auto& entry) { return entry.second <= now; });
  const std::string session = hex(randomBytes(kSessionBytes));
  sessions_[session] = now + kSessionLength;
  return {Attempt::Accepted, session, 0};
}

bool Login::isOpen(const std::string& session) {
  std::lock_guard lock(mutex_);
  const auto found = sessions_.find(session);
  return found != sessions_.end() && Clock::now() < found->second;
}

}  // namespace dictaphone
