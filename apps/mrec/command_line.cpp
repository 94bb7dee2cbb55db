#include "command_line.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace mrec::cli {

CommandLine::CommandLine(const std::vector<std::string>& args,
                         const std::vector<std::string>& valueFlags,
                         const std::vector<std::string>& switches) {
  auto isOneOf = [](const std::vector<std::string>& list, const std::string& flag) {
    return std::find(list.begin(), list.end(), flag) != list.end();
  };
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "-" || arg.empty() || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    std::optional<std::string> inlineValue;
    if (const auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      inlineValue = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    if (isOneOf(switches, arg)) {
      if (inlineValue) throw UsageError(arg + " takes no value");
      values_[arg] = "";
    } else if (isOneOf(valueFlags, arg)) {
      if (!inlineValue && i + 1 >= args.size()) throw UsageError(arg + " needs a value");
      values_[arg] = inlineValue ? *inlineValue : args[++i];
    } else {
      throw UsageError("unknown option " + arg);
    }
  }
}

std::optional<std::string> CommandLine::value(const std::string& flag) const {
  const auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<double> CommandLine::number(const std::string& flag, double min, double max) const {
  const auto text = value(flag);
  if (!text) return std::nullopt;
  // Plain decimal only: strtod would also take "0x10" (16), " 5" and "1e", and a number
  // that means something else than it says is worse than a refusal.
  double number = 0;
  const char* end = text->data() + text->size();
  const auto [stop, error] = std::from_chars(text->data(), end, number);
  if (text->empty() || error != std::errc() || stop != end || !std::isfinite(number) ||
      number < min || number > max)
    throw UsageError(flag + " wants a number from " + std::to_string(static_cast<long long>(min)) +
                     " to " + std::to_string(static_cast<long long>(max)) + ", not \"" + *text +
                     "\"");
  return number;
}

}  // namespace mrec::cli
