// The Dictaphone's request handling on any bytes, as if they came on a connection: the
// Host/Origin checks, routing, JSON bodies, clip ids, ranges, and the studio behind them.
// Beyond not crashing: every request gets an HTTP response, and no request ever makes the
// server answer 500 (an exception it did not expect).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "server.h"

namespace {

dictaphone::Server& server() {
  static dictaphone::Server* instance = [] {
    std::string name = (std::filesystem::temp_directory_path() / "mrec-dictaphone-fuzz-XXXXXX");
    const char* dir = mkdtemp(name.data());
    if (!dir) std::abort();
    dictaphone::ServerOptions options;
    options.port = 8080;
    options.listen = false;  // only respondTo(): nothing is bound
    options.dataDirectory = std::filesystem::path(dir) / "data";
    return new dictaphone::Server(options);
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string response =
      server().respondTo(std::string_view(reinterpret_cast<const char*>(data), size));
  // httplib answers a request it cannot parse with 400, and closes on an empty one.
  if (!response.empty() && response.compare(0, 9, "HTTP/1.1 ") != 0) std::abort();
  if (response.compare(0, 12, "HTTP/1.1 500") == 0) std::abort();
  return 0;
}
