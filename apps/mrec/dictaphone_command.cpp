// mrec dictaphone: the Web dictaphone's server, until Ctrl-C. Built as a module that mrec loads
// for this command only (dictaphone_loader.cpp).
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <type_traits>

#include "command_line.h"
#include "commands.h"
#include "dictaphone_module.h"
#include "server.h"

namespace mrec::cli {

namespace {
const char* const kUsageText =
    "usage: mrec dictaphone [--listen HOST:PORT] [--data DIR] [--upload-timeout SECONDS]\n"
    "                       [--cert FILE --key FILE]\n"
    "\n"
    "Serves the Web dictaphone: record from this computer's inputs in a browser page, keep\n"
    "the clips on disk, play, rename and delete them; or record in the page with the browser's\n"
    "own microphone, uploaded as it records.\n"
    "\n"
    "  --listen HOST:PORT  where to listen (default 127.0.0.1:8080; [::1]:PORT for IPv6;\n"
    "                      port 0: any free port)\n"
    "  --data DIR          where clips are kept (default $XDG_DATA_HOME/mrec/dictaphone,\n"
    "                      or ~/.local/share/mrec/dictaphone)\n"
    "  --upload-timeout S  finish a browser's upload that sent nothing for S seconds (60)\n"
    "\n"
    "Beyond loopback (HOST not 127.0.0.1, ::1 or localhost, e.g. 0.0.0.0 for a phone on the\n"
    "network) the server speaks HTTPS only and asks for a password:\n"
    "  --cert FILE --key FILE  its certificate and key (PEM); without them a self-signed\n"
    "                      pair is made in DIR/tls on the first start, its SHA-256\n"
    "                      fingerprint printed for the browser's warning\n"
    "  The password is set on the first such start: $MREC_DICTAPHONE_PASSWORD, or one made\n"
    "  up and printed once. It is kept hashed in DIR/password; remove that file to set a\n"
    "  new one.\n";

dictaphone::Server* running = nullptr;

void onSignal(int) {
  if (running) running->stop();
}

int runDictaphoneServer(const std::vector<std::string>& args) {
  try {
    const CommandLine line(args, {"--listen", "--data", "--upload-timeout", "--cert", "--key"},
                           {"--help", "-h"});
    if (line.has("--help") || line.has("-h")) {
      std::cout << kUsageText;
      return kOk;
    }
    if (!line.positional().empty()) throw UsageError("unexpected argument " + line.positional()[0]);
    dictaphone::ServerOptions options;
    if (const auto listen = line.value("--listen")) {
      // An IPv6 address comes in brackets, as in a URL: [::1]:8080.
      const bool bracketed = !listen->empty() && listen->front() == '[';
      const auto close = bracketed ? listen->find(']') : std::string::npos;
      const auto colon =
          bracketed ? (close == std::string::npos ? close : close + 1) : listen->rfind(':');
      if (colon == std::string::npos || colon == 0 || colon >= listen->size() ||
          (*listen)[colon] != ':' || (bracketed && close <= 1) ||
          (!bracketed && listen->substr(0, colon).find(':') != std::string::npos))
        throw UsageError("--listen is HOST:PORT or [IPv6]:PORT, not \"" + *listen + "\"");
      options.host = bracketed ? listen->substr(1, close - 1) : listen->substr(0, colon);
      try {
        size_t used = 0;
        options.port = std::stoi(listen->substr(colon + 1), &used);
        if (used != listen->size() - colon - 1 || options.port < 0 || options.port > 65535)
          throw std::out_of_range("port");
      } catch (const std::logic_error&) {
        throw UsageError("--listen needs a port 0-65535, not \"" + *listen + "\"");
      }
    }
    if (const auto timeout = line.value("--upload-timeout")) {
      try {
        size_t used = 0;
        options.uploadTimeoutSeconds = std::stod(*timeout, &used);
        if (used != timeout->size() || !(options.uploadTimeoutSeconds > 0) ||
            options.uploadTimeoutSeconds > 86400)
          throw std::out_of_range("timeout");
      } catch (const std::logic_error&) {
        throw UsageError("--upload-timeout is a number of seconds (0-86400], not \"" + *timeout +
                         "\"");
      }
    }
    if (line.has("--cert") != line.has("--key")) throw UsageError("--cert and --key go together");
    if (const auto certificate = line.value("--cert")) options.certificate = *certificate;
    if (const auto key = line.value("--key")) options.key = *key;
    if (const char* password = std::getenv("MREC_DICTAPHONE_PASSWORD")) options.password = password;
    if (const auto data = line.value("--data"))
      options.dataDirectory = *data;
    else
      options.dataDirectory = dictaphone::defaultDataDirectory();

    std::unique_ptr<dictaphone::Server> server;
    try {
      server = std::make_unique<dictaphone::Server>(options);
    } catch (const std::exception& e) {
      std::cerr << "mrec dictaphone: " << e.what() << "\n";
      return kOutputError;
    }
    running = server.get();
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    const std::string name = server->publicName();
    const bool ipv6 = name.find(':') != std::string::npos;
    std::cout << "Web dictaphone at " << (server->secure() ? "https://" : "http://")
              << (ipv6 ? "[" + name + "]" : name) << ":" << server->port() << "/  (clips in "
              << options.dataDirectory.string() << "; Ctrl-C stops)\n";
    if (server->secure()) {
      std::cout << "Certificate SHA-256 fingerprint: " << server->certificateFingerprint() << "\n";
      if (const auto password = server->madeUpPassword())
        std::cout << "Password (shown only now; remove " << (options.dataDirectory / "password")
                  << " to set another): " << *password << "\n";
    }
    std::cout << std::flush;
    server->run();
    running = nullptr;
    return kOk;
  } catch (const UsageError& e) {
    std::cerr << "mrec dictaphone: " << e.what() << "\n" << kUsageText;
    return kUsage;
  }
}

}  // namespace

}  // namespace mrec::cli

extern "C" __attribute__((visibility("default"))) int mrec_dictaphone_main(
    const std::vector<std::string>* args) {
  static_assert(std::is_same_v<decltype(&mrec_dictaphone_main), mrec::cli::DictaphoneMain>);
  return mrec::cli::runDictaphoneServer(*args);
}
