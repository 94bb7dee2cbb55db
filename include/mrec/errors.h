// Errors that mrec throws, named as the Web platform names them.
//
//   try { recorder.pause(); }
//   catch (const mrec::DOMException& e) { if (e.name() == "InvalidStateError") ... }
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

namespace mrec {

/// A DOMException: `name()` is the spec's exception name ("InvalidStateError",
/// "NotSupportedError", "SecurityError", ...), `message()` says why in words.
class DOMException : public std::exception {
 public:
  DOMException(std::string name, std::string message);
  const std::string& name() const noexcept { return name_; }
  const std::string& message() const noexcept { return message_; }
  /// "<name>: <message>"
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string name_;
  std::string message_;
  std::string what_;
};

/// Thrown where the Web IDL would throw a TypeError (a wrong argument).
class TypeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace mrec
