#include "recorder/chunker.h"

#include <algorithm>

namespace mrec::detail {

namespace {
/// How long past its timeslice a Blob waits for a key frame before it is cut without one.
constexpr int64_t kKeyFrameWaitUs = kMicrosPerSecond;
}  // namespace

Chunker::Chunker(std::unique_ptr<Muxer> muxer, std::vector<uint32_t> timebases,
                 std::optional<uint32_t> timeslice, std::optional<uint32_t> keyFrameTrack)
    : muxer_(std::move(muxer)),
      timebases_(std::move(timebases)),
      timeslice_(timeslice),
      keyFrameTrack_(timeslice && *timeslice > 0 ? keyFrameTrack : std::nullopt) {}

void Chunker::writeHeader() {
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->writeHeader(out); });
}

bool Chunker::keyFrameWantedAt(int64_t timeUs) {
  if (!keyFrameTrack_ || keyFrameTrackEndUs_) return false;
  if (!keyFrameOwed_ && timeUs - keyFrameBlobStartUs_ < millisToMicros(*timeslice_)) return false;
  keyFrameBlobStartUs_ = timeUs;
  keyFrameOwed_ = false;
  return true;
}

std::optional<ChunkOut> Chunker::add(const EncodedPacket& packet) {
  const int64_t startUs = micros(packet.timestamp, packet.track);
  const int64_t sliceUs = millisToMicros(timeslice_.value_or(0));
  std::optional<ChunkOut> before;
  if (keyFrameTrack_ && packet.track == *keyFrameTrack_ && packet.keyFrame && firstPacketUs_ &&
      startUs - *firstPacketUs_ >= sliceUs)
    before = take();
  if (!firstPacketUs_) firstPacketUs_ = startUs;
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->writePacket(packet, out); });
  mediaEndUs_ = std::max(mediaEndUs_, micros(packet.timestamp + packet.duration, packet.track));
  if (before) return before;
  // Media time: a Blob holds `timeslice` ms rounded up to whole packets.
  const bool keyFramesToCome =
      keyFrameTrack_ && (!keyFrameTrackEndUs_ || mediaEndUs_ < *keyFrameTrackEndUs_);
  const int64_t limitUs = keyFramesToCome ? sliceUs + kKeyFrameWaitUs : sliceUs;
  if (timeslice_ && mediaEndUs_ - *firstPacketUs_ >= limitUs) return take();
  return std::nullopt;
}

ChunkOut Chunker::cut() {
  keyFrameOwed_ = true;
  return take();
}

ChunkOut Chunker::take() {
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->flush(out); });
  ChunkOut out;
  out.timecode = microsToMillis(firstPacketUs_.value_or(mediaEndUs_));
  out.bytes = pending_.take();
  firstPacketUs_.reset();
  return out;
}

ChunkOut Chunker::finish() {
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->finish(out); });
  return take();
}

}  // namespace mrec::detail
