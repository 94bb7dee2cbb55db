#include "mrec/media_stream.h"
#include "stream/track_state.h"

namespace mrec {

const char* toString(MediaStreamTrackState state) {
  return state == MediaStreamTrackState::Live ? "live" : "ended";
}

MediaStreamTrack::MediaStreamTrack(std::shared_ptr<detail::TrackState> state)
    : state_(std::move(state)) {}

MediaStreamTrack::~MediaStreamTrack() {
  // A track nobody holds any more can never be recorded again: release its source.
  state_->end(/*fireEndedEvent=*/false);
}

const std::string& MediaStreamTrack::id() const {
  return state_->id;
}
const std::string& MediaStreamTrack::kind() const {
  return state_->kind;
}
const std::string& MediaStreamTrack::label() const {
  return state_->label;
}
bool MediaStreamTrack::enabled() const {
  return state_->enabled.load();
}
void MediaStreamTrack::setEnabled(bool enabled) {
  state_->enabled = enabled;
}
bool MediaStreamTrack::muted() const {
  return false;
}
MediaStreamTrackState MediaStreamTrack::readyState() const {
  return state_->readyState.load();
}

MediaTrackSettings MediaStreamTrack::getSettings() const {
  return state_->source ? state_->source->settings() : MediaTrackSettings{};
}

std::shared_ptr<MediaStreamTrack> MediaStreamTrack::clone() const {
  auto state = std::make_shared<detail::TrackState>(state_->kind, state_->label, state_->source);
  state->enabled = state_->enabled.load();
  state->isolated = state_->isolated.load();
  if (state_->live() && state_->source)
    state_->source->addTrack(state);
  else
    state->readyState = MediaStreamTrackState::Ended;
  return detail::Access::makeTrack(std::move(state));
}

void MediaStreamTrack::stop() {
  state_->end(/*fireEndedEvent=*/false);
}

bool MediaStreamTrack::isolated() const {
  return state_->isolated.load();
}
void MediaStreamTrack::setIsolated(bool isolated) {
  state_->setIsolated(isolated);
}

namespace detail {
std::shared_ptr<MediaStreamTrack> Access::makeTrack(std::shared_ptr<TrackState> state) {
  auto* raw = state.get();
  std::shared_ptr<MediaStreamTrack> track(new MediaStreamTrack(std::move(state)));
  raw->publicTrack = track;
  return track;
}
}  // namespace detail

}  // namespace mrec
