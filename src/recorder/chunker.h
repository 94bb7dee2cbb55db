// Cuts the muxed bytes of a recording into Blobs: at each timeslice of media, at
// requestData(), at the end. Blobs end on page/cluster boundaries, so every prefix of a
// recording's Blobs is a playable file. Undelivered bytes gather in a BlobBuilder, which
// spills long ones to a temporary file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "containers/muxer.h"
#include "core/blob_builder.h"
#include "core/media_time.h"

namespace mrec::detail {

struct ChunkOut {
  std::shared_ptr<const BlobStorage> bytes;  ///< null when nothing was muxed
  double timecode = 0;                       ///< ms of media before the Blob's first packet
};

class Chunker {
 public:
  /// `timeslice`: ms of media per Blob; nullopt cuts only on request. `timebases[i]`: units
  /// per second of track i's packet timestamps. `keyFrameTrack`: a video track whose key
  /// frames start the timeslice Blobs (the recorder asks the encoder for one each timeslice):
  /// a Blob is cut before the first of its key frames `timeslice` ms or more into it, or, if
  /// none comes (the video stalled or ended), a second later by media time.
  Chunker(std::unique_ptr<Muxer> muxer, std::vector<uint32_t> timebases,
          std::optional<uint32_t> timeslice, std::optional<uint32_t> keyFrameTrack = {});
  /// One track whose timestamps count samples at `sampleRate`.
  Chunker(std::unique_ptr<Muxer> muxer, uint32_t sampleRate, std::optional<uint32_t> timeslice)
      : Chunker(std::move(muxer), std::vector<uint32_t>{sampleRate}, timeslice) {}

  void writeHeader();
  /// Whether the key-frame track's frame at `timeUs` should be encoded as a key frame, so
  /// that a Blob can start with it: the first frame `timeslice` ms or more after the start of
  /// the newest Blob, or the first after a cut(). Asked once per frame, in order, before the
  /// frame is encoded; a yes makes that frame the newest Blob's start.
  bool keyFrameWantedAt(int64_t timeUs);
  /// Muxes `packet`; returns a Blob's worth of bytes when a timeslice is full.
  std::optional<ChunkOut> add(const EncodedPacket& packet);
  /// Everything muxed since the last cut (possibly empty), as requestData() asks. The next
  /// Blob's video starts with a key frame, as a timeslice Blob's does.
  ChunkOut cut();
  /// The key-frame track's source has ended, its media at `endUs`: no frame is wanted as a
  /// key frame any more, and Blobs are cut by media time alone once the media muxed passes
  /// `endUs`. Until then its frames still to come (an offline recording's video can end far
  /// ahead of its audio in the interleaver) start Blobs as before.
  void endKeyFrameTrack(int64_t endUs) { keyFrameTrackEndUs_ = endUs; }
  /// The rest of the file, after the last packet.
  ChunkOut finish();

 private:
  int64_t micros(int64_t units, uint32_t track) const {
    return unitsToMicros(units, timebases_.at(track));
  }
  ChunkOut take();

  std::unique_ptr<Muxer> muxer_;
  const std::vector<uint32_t> timebases_;
  const std::optional<uint32_t> timeslice_;
  const std::optional<uint32_t> keyFrameTrack_;
  std::optional<int64_t> keyFrameTrackEndUs_;  ///< where the key-frame track's media ends
  BlobBuilder pending_;
  std::optional<int64_t> firstPacketUs_;  ///< of the Blob being gathered
  int64_t mediaEndUs_ = 0;                ///< where the latest packet muxed ends
  /// Where the newest Blob starts as the encoder sees it: at the key frame asked for last.
  /// firstPacketUs_ lags behind it, as packets wait in the interleaver before they reach
  /// add().
  int64_t keyFrameBlobStartUs_ = 0;
  /// After a cut() the next frame is wanted as a key frame, wherever the last one was.
  bool keyFrameOwed_ = false;
};

}  // namespace mrec::detail
