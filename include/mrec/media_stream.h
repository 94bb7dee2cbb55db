// MediaStream and MediaStreamTrack, as in Media Capture and Streams.
//
//   auto tone = mrec::createToneTrack({.frequency = 440});
//   auto stream = std::make_shared<mrec::MediaStream>(
//       std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{tone});
//   tone->setEnabled(false);        // a recorder of it now records silence
//   tone->stop();                   // ends it; a recorder of it delivers its data and stops
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mrec/events.h"

namespace mrec {

namespace detail {
struct TrackState;
struct StreamState;
struct Access;
}  // namespace detail

enum class MediaStreamTrackState { Live, Ended };
/// "live" or "ended"
const char* toString(MediaStreamTrackState state);

struct MediaTrackSettings {
  std::optional<std::string> deviceId;
  std::optional<uint32_t> sampleRate, channelCount, width, height;
  std::optional<double> frameRate;
};

/// One source of media (a microphone, a tone, a file's audio, ...). Tracks are made by the
/// factories of <mrec/sources.h> and <mrec/media_devices.h> and shared by `std::shared_ptr`.
/// Every method may be called from any thread. `onended` and the listeners run on
/// `defaultExecutor()`.
class MediaStreamTrack : public EventTarget {
 public:
  ~MediaStreamTrack() override;

  const std::string& id() const;
  const std::string& kind() const;  ///< "audio" or "video"
  const std::string& label() const;
  /// A disabled track is recorded as silence (audio) or black frames (video), keeping time.
  bool enabled() const;
  void setEnabled(bool enabled);
  bool muted() const;
  MediaStreamTrackState readyState() const;
  MediaTrackSettings getSettings() const;
  /// A new live track of the same source (or an ended track if this one has ended).
  std::shared_ptr<MediaStreamTrack> clone() const;
  /// Ends this track (not its clones); fires no 'ended' event. Idempotent.
  void stop();

  std::function<void(const Event&)> onended, onmute, onunmute;

  /// Extension: an isolated track may not be captured by any recorder (protected content).
  /// start() then throws SecurityError; a track that becomes isolated while being recorded
  /// stops the recording with an error event (SecurityError) and discards its data.
  bool isolated() const;
  void setIsolated(bool isolated);

 protected:
  explicit MediaStreamTrack(std::shared_ptr<detail::TrackState> state);

 private:
  friend struct detail::Access;
  std::shared_ptr<detail::TrackState> state_;
};

class MediaStream : public EventTarget {
 public:
  /// An empty (inactive) stream.
  MediaStream();
  explicit MediaStream(std::vector<std::shared_ptr<MediaStreamTrack>> tracks);
  ~MediaStream() override;

  const std::string& id() const;
  /// True while at least one of its tracks is live.
  bool active() const;
  std::vector<std::shared_ptr<MediaStreamTrack>> getTracks() const;
  std::vector<std::shared_ptr<MediaStreamTrack>> getAudioTracks() const;
  std::vector<std::shared_ptr<MediaStreamTrack>> getVideoTracks() const;
  std::shared_ptr<MediaStreamTrack> getTrackById(std::string_view id) const;
  /// Adds `track` unless it is already in the stream. A null track is a TypeError.
  void addTrack(std::shared_ptr<MediaStreamTrack> track);
  /// Removes `track` if it is in the stream.
  void removeTrack(const std::shared_ptr<MediaStreamTrack>& track);
  /// A new stream with a clone of every track.
  std::shared_ptr<MediaStream> clone() const;

  /// Fired only for changes the library makes, never for addTrack()/removeTrack() calls
  /// (as in Media Capture and Streams).
  std::function<void(const MediaStreamTrackEvent&)> onaddtrack, onremovetrack;

 private:
  friend struct detail::Access;
  std::shared_ptr<detail::StreamState> state_;
};

}  // namespace mrec
