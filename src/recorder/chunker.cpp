#include "recorder/chunker.h"

#include <algorithm>

namespace mrec::detail {

Chunker::Chunker(std::unique_ptr<Muxer> muxer, std::vector<uint32_t> timebases,
                 std::optional<uint32_t> timeslice)
    : muxer_(std::move(muxer)), timebases_(std::move(timebases)), timeslice_(timeslice) {}

void Chunker::writeHeader() {
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->writeHeader(out); });
}

std::optional<ChunkOut> Chunker::add(const EncodedPacket& packet) {
  const int64_t startUs = micros(packet.timestamp, packet.track);
  if (!firstPacketUs_) firstPacketUs_ = startUs;
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->writePacket(packet, out); });
  mediaEndUs_ = std::max(mediaEndUs_, micros(packet.timestamp + packet.duration, packet.track));
  // Media time: a Blob holds `timeslice` ms rounded up to whole packets.
  if (timeslice_ && mediaEndUs_ - *firstPacketUs_ >= int64_t{*timeslice_} * 1000) return cut();
  return std::nullopt;
}

ChunkOut Chunker::cut() {
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->flush(out); });
  ChunkOut out;
  out.timecode = double(firstPacketUs_.value_or(mediaEndUs_)) / 1000.0;
  out.bytes = pending_.take();
  firstPacketUs_.reset();
  return out;
}

ChunkOut Chunker::finish() {
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->finish(out); });
  return cut();
}

}  // namespace mrec::detail
