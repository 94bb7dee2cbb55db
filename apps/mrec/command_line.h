// Parsing of `mrec` command lines: flags with values, and clear errors for bad ones.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mrec::cli {

/// A mistake in the command line; main prints it with the command's usage, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CommandLine {
 public:
  /// `valueFlags` take a value ("-o FILE", "--type=MIME"); `switches` take none.
  CommandLine(const std::vector<std::string>& args, const std::vector<std::string>& valueFlags,
              const std::vector<std::string>& switches);

  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::optional<std::string> value(const std::string& flag) const;
  /// The flag's value as a number within [min, max]; UsageError otherwise.
  std::optional<double> number(const std::string& flag, double min, double max) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace mrec::cli
