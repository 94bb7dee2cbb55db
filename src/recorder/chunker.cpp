#include "recorder/chunker.h"

namespace mrec::detail {

Chunker::Chunker(std::unique_ptr<Muxer> muxer, uint32_t sampleRate,
                 std::optional<uint32_t> timeslice)
    : muxer_(std::move(muxer)), sampleRate_(sampleRate), timeslice_(timeslice) {}

void Chunker::writeHeader() {
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->writeHeader(out); });
}

std::optional<ChunkOut> Chunker::add(const EncodedPacket& packet) {
  if (!firstPacketTime_) firstPacketTime_ = packet.timestamp;
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->writePacket(packet, out); });
  nextPacketTime_ = packet.timestamp + packet.duration;
  // Media time, compared in samples: a Blob holds `timeslice` ms rounded up to whole packets.
  if (timeslice_ &&
      (nextPacketTime_ - *firstPacketTime_) * 1000 >= int64_t{*timeslice_} * sampleRate_)
    return cut();
  return std::nullopt;
}

ChunkOut Chunker::cut() {
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->flush(out); });
  ChunkOut out;
  out.timecode = millisecondsAt(firstPacketTime_.value_or(nextPacketTime_));
  out.bytes = pending_.take();
  firstPacketTime_.reset();
  return out;
}

ChunkOut Chunker::finish() {
  pending_.appendWith([&](std::vector<uint8_t>& out) { muxer_->finish(out); });
  return cut();
}

}  // namespace mrec::detail
