#include <algorithm>

#include "mrec/media_stream.h"
#include "stream/track_state.h"

namespace mrec {

MediaStream::MediaStream() : state_(std::make_shared<detail::StreamState>()) {}

MediaStream::MediaStream(std::vector<std::shared_ptr<MediaStreamTrack>> tracks) : MediaStream() {
  detail::MutexLock lock(state_->mutex);  // not shared yet: for the analysis
  for (auto& track : tracks) {
    if (!track) throw TypeError("MediaStream: a track is null");
    const bool present = std::any_of(state_->tracks.begin(), state_->tracks.end(),
                                     [&](const auto& t) { return t == track; });
    if (!present) state_->tracks.push_back(std::move(track));
  }
}

MediaStream::~MediaStream() = default;

const std::string& MediaStream::id() const {
  return state_->id;
}

bool MediaStream::active() const {
  detail::MutexLock lock(state_->mutex);
  return std::any_of(state_->tracks.begin(), state_->tracks.end(), [](const auto& track) {
    return track->readyState() == MediaStreamTrackState::Live;
  });
}

std::vector<std::shared_ptr<MediaStreamTrack>> MediaStream::getTracks() const {
  detail::MutexLock lock(state_->mutex);
  return state_->tracks;
}

namespace {
std::vector<std::shared_ptr<MediaStreamTrack>> tracksOfKind(
    const std::vector<std::shared_ptr<MediaStreamTrack>>& tracks, const std::string& kind) {
  std::vector<std::shared_ptr<MediaStreamTrack>> result;
  for (const auto& track : tracks)
    if (track->kind() == kind) result.push_back(track);
  return result;
}
}  // namespace

std::vector<std::shared_ptr<MediaStreamTrack>> MediaStream::getAudioTracks() const {
  return tracksOfKind(getTracks(), "audio");
}

std::vector<std::shared_ptr<MediaStreamTrack>> MediaStream::getVideoTracks() const {
  return tracksOfKind(getTracks(), "video");
}

std::shared_ptr<MediaStreamTrack> MediaStream::getTrackById(std::string_view id) const {
  for (const auto& track : getTracks())
    if (track->id() == id) return track;
  return nullptr;
}

void MediaStream::addTrack(std::shared_ptr<MediaStreamTrack> track) {
  if (!track) throw TypeError("MediaStream.addTrack: the track is null");
  {
    detail::MutexLock lock(state_->mutex);
    for (const auto& t : state_->tracks)
      if (t == track) return;
    state_->tracks.push_back(std::move(track));
  }
  state_->notify(detail::StreamChange::TrackSetChanged);
}

void MediaStream::removeTrack(const std::shared_ptr<MediaStreamTrack>& track) {
  {
    detail::MutexLock lock(state_->mutex);
    const auto it = std::find(state_->tracks.begin(), state_->tracks.end(), track);
    if (it == state_->tracks.end()) return;
    state_->tracks.erase(it);
  }
  state_->notify(detail::StreamChange::TrackSetChanged);
}

std::shared_ptr<MediaStream> MediaStream::clone() const {
  std::vector<std::shared_ptr<MediaStreamTrack>> clones;
  for (const auto& track : getTracks()) clones.push_back(track->clone());
  return std::make_shared<MediaStream>(std::move(clones));
}

}  // namespace mrec
