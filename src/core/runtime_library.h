// A system library opened at run time (dlopen) rather than linked, so that a process loads
// it, and what it depends on, only when its feature is first used: libpulse for capture,
// libavcodec for AAC. Opened RTLD_NOW | RTLD_LOCAL (its symbols serve only the pointers
// resolved here; dlsym on its handle finds its dependencies' symbols too) and never closed.
#pragma once

#include <string>

namespace mrec::detail {

class RuntimeLibrary {
 public:
  /// Opens `soname`; error() says why when it cannot be.
  explicit RuntimeLibrary(const std::string& soname);

  /// Points `function` at `symbol`, or at nothing; the first failure is kept in error().
  template <typename Function>
  void resolve(Function& function, const char* symbol) {
    function = reinterpret_cast<Function>(address(symbol));
  }
  /// Empty while everything asked for was found.
  const std::string& error() const { return error_; }

 private:
  void* address(const char* symbol);

  void* handle_ = nullptr;
  std::string error_;
};

}  // namespace mrec::detail
