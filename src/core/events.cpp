#include "mrec/events.h"

#include <algorithm>

#include "core/clock.h"

namespace mrec {

Event::Event(std::string type) : type(std::move(type)), timeStamp(detail::nowMilliseconds()) {}
Event::~Event() = default;

BlobEvent::BlobEvent(std::string type, BlobEventInit init)
    : Event(std::move(type)), data(std::move(init.data)), timecode(init.timecode.value_or(0)) {}

EventTarget::EventTarget() = default;
EventTarget::~EventTarget() = default;

EventTarget::ListenerId EventTarget::addEventListener(std::string type, Listener listener) {
  std::lock_guard lock(listenersMutex_);
  const ListenerId id = nextListenerId_++;
  listeners_.push_back({id, std::move(type), std::make_shared<Listener>(std::move(listener))});
  return id;
}

void EventTarget::removeEventListener(ListenerId id) {
  std::lock_guard lock(listenersMutex_);
  std::erase_if(listeners_, [id](const Entry& entry) { return entry.id == id; });
}

EventTarget::ListenerSnapshot EventTarget::listenersFor(const std::string& type) {
  ListenerSnapshot matching;
  std::lock_guard lock(listenersMutex_);
  for (const Entry& entry : listeners_)
    if (entry.type == type) matching.emplace_back(entry.id, entry.listener);
  return matching;
}

bool EventTarget::hasListener(ListenerId id) {
  std::lock_guard lock(listenersMutex_);
  return std::any_of(listeners_.begin(), listeners_.end(),
                     [id](const Entry& entry) { return entry.id == id; });
}

void EventTarget::dispatchEvent(const Event& event) {
  // Listeners run without the lock, so that they may add or remove listeners; one removed
  // by an earlier listener during this dispatch is not called (DOM rule).
  for (const auto& [id, listener] : listenersFor(event.type))
    if (hasListener(id) && *listener) (*listener)(event);
}

}  // namespace mrec
