#include "dictaphone_process.h"

#include <chrono>
#include <thread>

#include "support/media_tools.h"

namespace dictaphone::test {

std::pair<std::string, int> startDictaphone(const std::filesystem::path& data,
                                            const std::filesystem::path& log,
                                            const std::string& options) {
  const auto started = mrec::test::runCommand(
      "'" + std::string(MREC_CLI_PATH) + "' dictaphone --listen 127.0.0.1:0 --data '" +
      data.string() + "' " + options + " > '" + log.string() + "' 2>&1 & echo $!");
  std::string pid = started.output.substr(0, started.output.find('\n'));
  for (int i = 0; i < 500; ++i) {
    const auto text = mrec::test::runCommand("cat '" + log.string() + "'").output;
    const auto at = text.find("http://127.0.0.1:");
    if (at != std::string::npos) return {pid, std::stoi(text.substr(at + 17))};
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return {pid, 0};
}

}  // namespace dictaphone::test
