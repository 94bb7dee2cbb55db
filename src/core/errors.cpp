#include "mrec/errors.h"

#include <utility>

namespace mrec {

DOMException::DOMException(std::string name, std::string message)
    : name_(std::move(name)), message_(std::move(message)) {
  what_ = message_.empty() ? name_ : name_ + ": " + message_;
}

}  // namespace mrec
