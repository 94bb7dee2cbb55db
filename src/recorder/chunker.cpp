#include "recorder/chunker.h"

namespace mrec::detail {

Chunker::Chunker(std::unique_ptr<Muxer> muxer, uint32_t sampleRate,
                 std::optional<uint32_t> timeslice)
    : muxer_(std::move(muxer)), sampleRate_(sampleRate), timeslice_(timeslice) {}

void Chunker::writeHeader() {
  muxer_->writeHeader(pending_);
}

std::optional<ChunkOut> Chunker::add(const EncodedPacket& packet) {
  if (!firstPacketTime_) firstPacketTime_ = packet.timestamp;
  muxer_->writePacket(packet, pending_);
  nextPacketTime_ = packet.timestamp + packet.duration;
  // Media time, compared in samples: a Blob holds `timeslice` ms rounded up to whole packets.
  if (timeslice_ &&
      (nextPacketTime_ - *firstPacketTime_) * 1000 >= int64_t{*timeslice_} * sampleRate_)
    return cut();
  return std::nullopt;
}

ChunkOut Chunker::cut() {
  muxer_->flush(pending_);
  ChunkOut out;
  out.timecode = millisecondsAt(firstPacketTime_.value_or(nextPacketTime_));
  out.bytes.swap(pending_);
  firstPacketTime_.reset();
  return out;
}

ChunkOut Chunker::finish() {
  muxer_->finish(pending_);
  return cut();
}

}  // namespace mrec::detail
