// A virtual X server of the test's own (Debian's Xvfb), started on a free display number
// and stopped at the end. Points this process's DISPLAY at it.
#pragma once

#include <sys/types.h>

#include <string>

namespace mrec::test {

class Xvfb {
 public:
  /// A screen of `width` x `height` at 24-bit depth.
  Xvfb(int width, int height);
  ~Xvfb();
  bool running() const { return pid_ > 0 && !display_.empty(); }
  /// ":N"
  const std::string& display() const { return display_; }
  /// Paints the root window one colour ("#rrggbb") with xsetroot; true on success.
  bool paint(const std::string& colour) const;

 private:
  pid_t pid_ = -1;
  std::string display_;
};

}  // namespace mrec::test
