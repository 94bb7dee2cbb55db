// The certificate and key the Dictaphone serves HTTPS with beyond loopback: the ones given on
// the command line, or a self-signed pair made on the first such start and kept in the data
// folder, so that a browser that trusted it once keeps trusting it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dictaphone {

struct TlsIdentity {
  std::filesystem::path certificate;  ///< PEM
  std::filesystem::path key;          ///< PEM, readable by its owner only when made here
  /// SHA-256 of the certificate (DER) as AB:CD:..., what a browser or `openssl x509
  /// -fingerprint -sha256` shows: how a user checks, on first visit, that it is this server.
  std::string fingerprint;
  bool created = false;  ///< made on this start
};

/// The pair in `directory` (cert.pem, key.pem), made if absent: ECDSA P-256, valid for ten
/// years, for `names` (host names and IP addresses, the first as its common name). Throws
/// std::runtime_error with the reason if it can be neither read nor made.
TlsIdentity ownTlsIdentity(const std::filesystem::path& directory,
                           const std::vector<std::string>& names);

/// A pair given by the user; throws std::runtime_error if the certificate cannot be read.
TlsIdentity givenTlsIdentity(const std::filesystem::path& certificate,
                             const std::filesystem::path& key);

}  // namespace dictaphone
