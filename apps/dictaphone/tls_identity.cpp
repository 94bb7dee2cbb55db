#include "tls_identity.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "private_file.h"

namespace dictaphone {

namespace {

constexpr long kValiditySeconds = 10L * 365 * 24 * 60 * 60;
constexpr long kClockSlackSeconds = 60 * 60;  // a client whose clock is a little behind

struct FreeKey {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct FreeCertificate {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct CloseFile {
  void operator()(FILE* file) const { std::fclose(file); }
};
using Key = std::unique_ptr<EVP_PKEY, FreeKey>;
using Certificate = std::unique_ptr<X509, FreeCertificate>;
using File = std::unique_ptr<FILE, CloseFile>;

[[noreturn]] void fail(const std::string& what) {
  const unsigned long code = ERR_get_error();
  char reason[256] = "";
  if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
  throw std::runtime_error(what + (code != 0 ? std::string(": ") + reason : std::string()));
}

std::string fingerprintOf(X509* certificate) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(certificate, EVP_sha256(), digest, &length) != 1)
    fail("cannot take the certificate's fingerprint");
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    if (i > 0) text += ':';
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 0xF];
  }
  return text;
}

Certificate readCertificate(const std::filesystem::path& path) {
  const File file(std::fopen(path.c_str(), "r"));
  if (!file) throw std::runtime_error("cannot read the certificate " + path.string());
  Certificate certificate(PEM_read_X509(file.get(), nullptr, nullptr, nullptr));
  if (!certificate) fail("no PEM certificate in " + path.string());
  return certificate;
}

bool isAddress(const std::string& name) {
  unsigned char address[16];
  return inet_pton(AF_INET, name.c_str(), address) == 1 ||
         inet_pton(AF_INET6, name.c_str(), address) == 1;
}

void addExtension(X509* certificate, X509V3_CTX& context, int nid, const std::string& value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (!extension || X509_add_ext(certificate, extension, -1) != 1) {
    X509_EXTENSION_free(extension);
    fail("cannot write the certificate's " + std::string(OBJ_nid2sn(nid)));
  }
  X509_EXTENSION_free(extension);
}

Certificate makeCertificate(EVP_PKEY* key, const std::vector<std::string>& names) {
  Certificate certificate(X509_new());
  if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1)
    fail("cannot make a certificate");
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) fail("no random serial number");
  serial[0] &= 0x7F;  // positive
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  const bool serialSet =
      number && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate.get()));
  BN_free(number);
  if (!serialSet) fail("cannot set the serial number");
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -kClockSlackSeconds);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), kValiditySeconds);
  if (X509_set_pubkey(certificate.get(), key) != 1) fail("cannot set the public key");

  X509_NAME* subject = X509_get_subject_name(certificate.get());
  const auto text = [](const std::string& value) {
    return reinterpret_cast<const unsigned char*>(value.c_str());
  };
  if (X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, text("mrec Dictaphone"), -1, -1, 0) !=
          1 ||
      X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, text(names.front()), -1, -1, 0) !=
          1 ||
      X509_set_issuer_name(certificate.get(), subject) != 1)
    fail("cannot name the certificate");

  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
  std::string alternatives;
  for (const std::string& name : names)
    alternatives +=
        (alternatives.empty() ? "" : ",") + std::string(isAddress(name) ? "IP:" : "DNS:") + name;
  addExtension(certificate.get(), context, NID_subject_alt_name, alternatives);
  addExtension(certificate.get(), context, NID_basic_constraints, "critical,CA:FALSE");
  addExtension(certificate.get(), context, NID_key_usage, "critical,digitalSignature");
  addExtension(certificate.get(), context, NID_ext_key_usage, "serverAuth");
  if (X509_sign(certificate.get(), key, EVP_sha256()) == 0) fail("cannot sign the certificate");
  return certificate;
}

/// `write`'s PEM, as text.
template <typename Write>
std::string pemOf(Write write) {
  BIO* memory = BIO_new(BIO_s_mem());
  if (!memory || !write(memory)) {
    BIO_free(memory);
    fail("cannot write PEM");
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(memory, &data);
  std::string text(data, size_t(length));
  BIO_free(memory);
  return text;
}

}  // namespace

TlsIdentity givenTlsIdentity(const std::filesystem::path& certificate,
                             const std::filesystem::path& key) {
  const Certificate read = readCertificate(certificate);
  if (::access(key.c_str(), R_OK) != 0)
    throw std::runtime_error("cannot read the key " + key.string());
  return {certificate, key, fingerprintOf(read.get()), false};
}

TlsIdentity ownTlsIdentity(const std::filesystem::path& directory,
                           const std::vector<std::string>& names) {
  const auto certificatePath = directory / "cert.pem";
  const auto keyPath = directory / "key.pem";
  // The certificate is written last: with it there, the pair is whole.
  if (std::filesystem::exists(certificatePath) && std::filesystem::exists(keyPath))
    return givenTlsIdentity(certificatePath, keyPath);
  if (names.empty()) throw std::invalid_argument("a certificate needs a name");
  std::filesystem::create_directories(directory);
  std::filesystem::permissions(directory, std::filesystem::perms::owner_all);

  char curve[] = "P-256";
  const Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
  if (!key) fail("cannot make a key");
  const Certificate certificate = makeCertificate(key.get(), names);
  writeFileAtomically(keyPath, pemOf([&](BIO* out) {
                        return PEM_write_bio_PrivateKey(out, key.get(), nullptr, nullptr, 0,
                                                        nullptr, nullptr) == 1;
                      }),
                      0600);
  writeFileAtomically(
      certificatePath,
      pemOf([&](BIO* out) { return PEM_write_bio_X509(out, certificate.get()) == 1; }), 0644);
  return {certificatePath, keyPath, fingerprintOf(certificate.get()), true};
}

}  // namespace dictaphone
