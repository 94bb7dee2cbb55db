// Events and the EventTarget they are dispatched at.
//
//   recorder.ondataavailable = [&](const mrec::BlobEvent& e) { chunks.push_back(e.data); };
//   auto id = recorder.addEventListener("stop", [&](const mrec::Event&) { done = true; });
//   recorder.removeEventListener(id);
//
// An object's `on<type>` handler runs first, then the listeners added for that type, in the
// order they were added. A listener receives the concrete event: downcast by `type`
// ("dataavailable" is a BlobEvent, "error" an ErrorEvent, "addtrack" a MediaStreamTrackEvent).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mrec/blob.h"
#include "mrec/errors.h"

namespace mrec {

class MediaStreamTrack;

struct Event {
  Event() = default;
  explicit Event(std::string type);
  virtual ~Event();
  std::string type;
  /// Milliseconds since the library's time origin (a monotonic clock), like performance.now().
  double timeStamp = 0;
};

struct BlobEventInit {
  Blob data;
  std::optional<double> timecode;
};

struct BlobEvent : Event {
  BlobEvent(std::string type, BlobEventInit init);
  Blob data;
  /// Media time of the first data in `data`, in ms; 0 for a recording's first Blob.
  double timecode = 0;
};

struct ErrorEvent : Event {
  ErrorEvent() : Event("error") {}
  std::optional<DOMException> error;
};

struct MediaStreamTrackEvent : Event {
  using Event::Event;
  std::shared_ptr<MediaStreamTrack> track;
};

class EventTarget {
 public:
  using Listener = std::function<void(const Event&)>;
  using ListenerId = uint64_t;

  EventTarget();
  virtual ~EventTarget();
  EventTarget(const EventTarget&) = delete;
  EventTarget& operator=(const EventTarget&) = delete;

  /// Thread-safe. A listener added while an event is being dispatched does not see that event.
  ListenerId addEventListener(std::string type, Listener listener);
  /// Thread-safe; an unknown id is ignored.
  void removeEventListener(ListenerId id);

  /// Calls the listeners of `event.type` (not the `on<type>` handler); extension of the DOM's
  /// dispatchEvent for programs that want to reuse the listener list.
  void dispatchEvent(const Event& event);

 protected:
  using ListenerSnapshot = std::vector<std::pair<ListenerId, std::shared_ptr<Listener>>>;
  /// The listeners of `type` at this moment, for a dispatcher that re-checks between calls.
  ListenerSnapshot listenersFor(const std::string& type);
  /// Whether listener `id` is still registered (one removed during a dispatch is skipped).
  bool hasListener(ListenerId id);

 private:
  struct Entry {
    ListenerId id;
    std::string type;
    std::shared_ptr<Listener> listener;
  };
  std::mutex listenersMutex_;
  std::vector<Entry> listeners_;
  ListenerId nextListenerId_ = 1;
};

}  // namespace mrec
