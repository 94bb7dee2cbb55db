// WebM and Matroska, written live: a Segment and Clusters of unknown size, so that bytes can
// leave as soon as they exist. Opus carries its real pre-skip in CodecPrivate and CodecDelay,
// and the last block its DiscardPadding, so decoders play exactly the recorded samples.
// With video, a cluster begins at every video key frame, so each cluster (and each Cue
// makeSeekable adds) is a place playback can start from. A video frame that lasts other than
// the track's DefaultDuration (the frame before a gap, or any frame of a track with no fixed
// rate) goes in a BlockGroup whose BlockDuration reaches the next frame, so that MediaSource
// buffers no hole there (docs/conformance.md decision 21).
#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "containers/ebml_writer.h"
#include "containers/muxer.h"
#include "core/ids.h"
#include "core/media_time.h"

namespace mrec::detail {

namespace {

namespace id {
constexpr uint32_t kEbml = 0x1A45DFA3, kEbmlVersion = 0x4286, kEbmlReadVersion = 0x42F7,
                   kEbmlMaxIdLength = 0x42F2, kEbmlMaxSizeLength = 0x42F3, kDocType = 0x4282,
                   kDocTypeVersion = 0x4287, kDocTypeReadVersion = 0x4285;
constexpr uint32_t kSegment = 0x18538067, kInfo = 0x1549A966, kTimecodeScale = 0x2AD7B1,
                   kMuxingApp = 0x4D80, kWritingApp = 0x5741;
constexpr uint32_t kTracks = 0x1654AE6B, kTrackEntry = 0xAE, kTrackNumber = 0xD7,
                   kTrackUid = 0x73C5, kTrackType = 0x83, kFlagLacing = 0x9C, kCodecId = 0x86,
                   kCodecPrivate = 0x63A2, kCodecDelay = 0x56AA, kSeekPreRoll = 0x56BB,
                   kAudio = 0xE1, kSamplingFrequency = 0xB5, kChannels = 0x9F, kBitDepth = 0x6264,
                   kDefaultDuration = 0x23E383, kVideo = 0xE0, kPixelWidth = 0xB0,
                   kPixelHeight = 0xBA;
constexpr uint32_t kCluster = 0x1F43B675, kTimecode = 0xE7, kSimpleBlock = 0xA3, kBlockGroup = 0xA0,
                   kBlock = 0xA1, kBlockDuration = 0x9B, kReferenceBlock = 0xFB,
                   kDiscardPadding = 0x75A2;
}  // namespace id

constexpr uint64_t kNanosecondsPerMillisecond = 1000000;
constexpr uint64_t kTimecodeScale = kNanosecondsPerMillisecond;  // block times in ms
constexpr uint64_t kVideoTrackType = 1;
constexpr uint64_t kAudioTrackType = 2;
// Clusters are kept short so that Cues (added by makeSeekable) give fine seek points, and
// well inside the ±32767 ms a block's relative timecode can reach.
constexpr int64_t kMaxClusterMs = 5000;
constexpr int64_t kMinRelativeMs = -32768;
// Room left for a SeekHead and for Info's Duration, so that makeSeekable can fill them in
// place instead of rewriting the file.
constexpr size_t kSeekHeadReserveBytes = 96;
constexpr size_t kDurationReserveBytes = 11;  // ID (2) + size (1) + float64 (8)

class WebmMuxer final : public Muxer {
 public:
  WebmMuxer(const ContainerFormat& format, std::vector<MuxerTrack> tracks)
      : docType_(format.matroskaDocType),
        tracks_(std::move(tracks)),
        lastBlockMs_(tracks_.size(), 0) {}

  void writeHeader(std::vector<uint8_t>& out) override {
    std::vector<uint8_t> ebml;
    ebml::putUint(ebml, id::kEbmlVersion, 1);
    ebml::putUint(ebml, id::kEbmlReadVersion, 1);
    ebml::putUint(ebml, id::kEbmlMaxIdLength, 4);
    ebml::putUint(ebml, id::kEbmlMaxSizeLength, 8);
    ebml::putString(ebml, id::kDocType, docType_);
    ebml::putUint(ebml, id::kDocTypeVersion, 4);
    ebml::putUint(ebml, id::kDocTypeReadVersion, 2);
    ebml::putMaster(out, id::kEbml, ebml);

    ebml::putId(out, id::kSegment);
    ebml::putSize(out, ebml::kUnknownSize);
    ebml::putVoid(out, kSeekHeadReserveBytes);

    std::vector<uint8_t> info;
    ebml::putUint(info, id::kTimecodeScale, kTimecodeScale);
    ebml::putVoid(info, kDurationReserveBytes);
    ebml::putString(info, id::kMuxingApp, writingApplication());
    ebml::putString(info, id::kWritingApp, writingApplication());
    ebml::putMaster(out, id::kInfo, info);

    std::vector<uint8_t> entries;
    for (size_t i = 0; i < tracks_.size(); ++i) {
      std::vector<uint8_t> entry;
      ebml::putUint(entry, id::kTrackNumber, i + 1);
      ebml::putUint(entry, id::kTrackUid, makeNonZeroRandom64());
      if (tracks_[i].audio)
        describeAudio(*tracks_[i].audio, entry);
      else
        describeVideo(*tracks_[i].video, entry);
      ebml::putMaster(entries, id::kTrackEntry, entry);
    }
    ebml::putMaster(out, id::kTracks, entries);
  }

  void writePacket(const EncodedPacket& packet, std::vector<uint8_t>& out) override {
    const MuxerTrack& track = tracks_.at(packet.track);
    const int64_t timeMs = toMs(packet.timestamp, track.timebase());
    const bool videoKeyFrame = track.video && packet.keyFrame;
    if (!clusterOpen_ || (videoKeyFrame && clusterHasVideo_) ||
        timeMs - clusterStartMs_ > kMaxClusterMs || timeMs - clusterStartMs_ < kMinRelativeMs) {
      ebml::putId(out, id::kCluster);
      ebml::putSize(out, ebml::kUnknownSize);
      ebml::putUint(out, id::kTimecode, static_cast<uint64_t>(std::max<int64_t>(timeMs, 0)));
      clusterStartMs_ = std::max<int64_t>(timeMs, 0);
      clusterOpen_ = true;
      clusterHasVideo_ = false;
    }
    if (track.video) clusterHasVideo_ = true;
    const auto relative = static_cast<int16_t>(timeMs - clusterStartMs_);
    const auto number = static_cast<uint8_t>(packet.track + 1);
    const std::optional<uint64_t> durationMs = blockDuration(packet, track, timeMs);
    const int64_t previousMs = std::exchange(lastBlockMs_[packet.track], timeMs);
    if (packet.discardPadding == 0 && !durationMs) {
      writeBlock(out, id::kSimpleBlock, number, relative, packet.keyFrame ? 0x80 : 0x00,
                 packet.data);
      return;
    }
    std::vector<uint8_t> group;
    writeBlock(group, id::kBlock, number, relative, /*flags=*/0x00, packet.data);
    if (durationMs) ebml::putUint(group, id::kBlockDuration, *durationMs);
    // A Block is a key frame unless its group references another: an inter frame names the
    // frame before it.
    if (!packet.keyFrame)
      ebml::putInt(group, id::kReferenceBlock, std::min<int64_t>(previousMs - timeMs, -1));
    if (packet.discardPadding > 0)
      ebml::putInt(group, id::kDiscardPadding,
                   static_cast<int64_t>(toNs(packet.discardPadding, track.timebase())));
    ebml::putMaster(out, id::kBlockGroup, group);
  }

  // An unknown-size cluster ends wherever the bytes end; the next packet opens a new one,
  // so that every Blob boundary is a cluster boundary.
  void flush(std::vector<uint8_t>&) override { clusterOpen_ = false; }
  void finish(std::vector<uint8_t>&) override { clusterOpen_ = false; }

 private:
  static uint64_t toNs(uint64_t units, uint32_t timebase) {  // small counts: padding, pre-skip
    return static_cast<uint64_t>(rescale(static_cast<int64_t>(units), timebase, kNanosPerSecond));
  }
  static int64_t toMs(int64_t units, uint32_t timebase) {
    return rescaleToNearest(units, timebase, kMillisPerSecond);
  }

  // A video block's BlockDuration, in ms, when the track's DefaultDuration does not say it
  // (within the millisecond the block times are rounded to), or the track has none.
  static std::optional<uint64_t> blockDuration(const EncodedPacket& packet, const MuxerTrack& track,
                                               int64_t timeMs) {
    if (!track.video || packet.duration == 0) return std::nullopt;
    const int64_t durationMs =
        toMs(packet.timestamp + int64_t{packet.duration}, track.timebase()) - timeMs;
    if (durationMs <= 0) return std::nullopt;
    const int64_t defaultUs = track.video->defaultDurationUs;
    if (defaultUs > 0 && std::abs(durationMs * 1000 - defaultUs) <= 1000) return std::nullopt;
    return static_cast<uint64_t>(durationMs);
  }

  static void describeAudio(const AudioTrackInfo& audio, std::vector<uint8_t>& entry) {
    ebml::putUint(entry, id::kTrackType, kAudioTrackType);
    ebml::putUint(entry, id::kFlagLacing, 0);
    const AudioCodecFormat& codec = formatOf(audio.codec);
    ebml::putString(entry, id::kCodecId, codec.matroskaCodecId);
    if (!audio.codecPrivate.empty())
      ebml::putBinary(entry, id::kCodecPrivate, audio.codecPrivate.data(),
                      audio.codecPrivate.size());
    if (audio.preSkip > 0)
      ebml::putUint(entry, id::kCodecDelay, toNs(audio.preSkip, audio.sampleRate));
    if (codec.seekPreRollMs > 0)
      ebml::putUint(entry, id::kSeekPreRoll, codec.seekPreRollMs * kNanosecondsPerMillisecond);
    std::vector<uint8_t> body;
    ebml::putFloat(body, id::kSamplingFrequency, audio.sampleRate);
    ebml::putUint(body, id::kChannels, audio.channels);
    if (codec.matroskaBitDepth > 0) ebml::putUint(body, id::kBitDepth, codec.matroskaBitDepth);
    ebml::putMaster(entry, id::kAudio, body);
  }

  static void describeVideo(const VideoTrackInfo& video, std::vector<uint8_t>& entry) {
    ebml::putUint(entry, id::kTrackType, kVideoTrackType);
    ebml::putUint(entry, id::kFlagLacing, 0);
    ebml::putString(entry, id::kCodecId, formatOf(video.codec).matroskaCodecId);
    if (!video.codecPrivate.empty())
      ebml::putBinary(entry, id::kCodecPrivate, video.codecPrivate.data(),
                      video.codecPrivate.size());
    if (video.defaultDurationUs > 0)
      ebml::putUint(entry, id::kDefaultDuration,
                    static_cast<uint64_t>(video.defaultDurationUs) * 1000);
    std::vector<uint8_t> body;
    ebml::putUint(body, id::kPixelWidth, video.width);
    ebml::putUint(body, id::kPixelHeight, video.height);
    ebml::putMaster(entry, id::kVideo, body);
  }

  static void writeBlock(std::vector<uint8_t>& out, uint32_t elementId, uint8_t trackNumber,
                         int16_t relativeMs, uint8_t flags, const std::vector<uint8_t>& data) {
    ebml::putId(out, elementId);
    ebml::putSize(out, 4 + data.size());
    out.push_back(0x80 | trackNumber);  // track number as a 1-byte vint
    out.push_back(static_cast<uint8_t>(static_cast<uint16_t>(relativeMs) >> 8));
    out.push_back(static_cast<uint8_t>(relativeMs & 0xFF));
    out.push_back(flags);
    out.insert(out.end(), data.begin(), data.end());
  }

  const std::string_view docType_;  // the row's, which lives as long as the program
  const std::vector<MuxerTrack> tracks_;
  std::vector<int64_t> lastBlockMs_;  ///< per track, the time of its latest block
  bool clusterOpen_ = false;
  bool clusterHasVideo_ = false;
  int64_t clusterStartMs_ = 0;
};

}  // namespace

std::unique_ptr<Muxer> makeMatroskaMuxer(const ContainerFormat& format,
                                         const std::vector<MuxerTrack>& tracks) {
  return std::make_unique<WebmMuxer>(format, tracks);
}

}  // namespace mrec::detail
