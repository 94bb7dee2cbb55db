// Fragmented MP4 (ISO/IEC 14496-12 §8.8), written live: ftyp and a moov with no samples and
// an mvex first, then a moof+mdat fragment at every flush (each Blob boundary) and whenever a
// fragment reaches a second of media or 8 MiB, so that a file cut off anywhere keeps every
// whole fragment and memory stays bounded. A fragment may end at any frame. Opus's pre-skip
// is the edit list's media time; the last sample's duration leaves out its padding, so that
// makeSeekable can trim it from the presentation exactly.
#include <algorithm>

#include "containers/bmff_writer.h"
#include "containers/mp4_movie.h"
#include "containers/muxer.h"
#include "core/media_time.h"

namespace mrec::detail {

namespace {

constexpr int64_t kMaxFragmentUs = kMicrosPerSecond;
constexpr size_t kMaxFragmentBytes = 8u << 20;
// trun sample flags (14496-12 §8.8.3.1): a sync sample depends on no other; any other sample
// depends on others and is not a sync sample.
constexpr uint32_t kSyncSampleFlags = 0x02000000;
constexpr uint32_t kNonSyncSampleFlags = 0x01010000;
constexpr uint32_t kDefaultBaseIsMoof = 0x020000;
constexpr uint32_t kTrunFlags = 0x000001 | 0x000100 | 0x000200 | 0x000400;  // offset, each
                                                                            // duration, size
                                                                            // and flags

struct PendingSample {
  std::vector<uint8_t> data;
  int64_t timestamp = 0;
  uint32_t duration = 0;
  bool sync = true;
};

std::vector<uint8_t> audioSampleEntry(const AudioTrackInfo& audio) {
  const AudioCodecFormat& codec = formatOf(audio.codec);
  std::vector<uint8_t> entry;
  bmff::Writer w(entry);
  bmff::Box box(w, codec.mp4SampleEntry);
  w.zeros(6);
  w.u16(1);  // data reference index
  w.zeros(8);
  w.u16(static_cast<uint16_t>(audio.channels));
  w.u16(16);  // sample size
  w.zeros(4);
  w.u32(std::min<uint32_t>(audio.sampleRate, 65535) << 16);
  bmff::Box config(w, codec.mp4ConfigBox);
  w.bytes(codec.mp4Config(audio.codecPrivate));
  return entry;
}

std::vector<uint8_t> videoSampleEntry(const VideoTrackInfo& video) {
  const VideoCodecFormat& codec = formatOf(video.codec);
  std::vector<uint8_t> entry;
  bmff::Writer w(entry);
  bmff::Box box(w, codec.mp4SampleEntry);
  w.zeros(6);
  w.u16(1);  // data reference index
  w.zeros(16);
  w.u16(static_cast<uint16_t>(video.width));
  w.u16(static_cast<uint16_t>(video.height));
  w.u32(0x00480000);  // 72 dpi, both ways
  w.u32(0x00480000);
  w.u32(0);
  w.u16(1);       // frame count
  w.zeros(32);    // compressor name
  w.u16(0x18);    // depth: colour, no alpha
  w.u16(0xFFFF);  // pre_defined -1
  bmff::Box config(w, codec.mp4ConfigBox);
  w.bytes(codec.mp4Config(video.codecPrivate, video.width, video.height));
  return entry;
}

class Mp4Muxer final : public Muxer {
 public:
  explicit Mp4Muxer(std::vector<MuxerTrack> tracks)
      : tracks_(std::move(tracks)), pending_(tracks_.size()) {}

  void writeHeader(std::vector<uint8_t>& out) override {
    mp4::Movie movie;
    for (size_t i = 0; i < tracks_.size(); ++i) {
      const MuxerTrack& track = tracks_[i];
      mp4::Track t;
      t.id = static_cast<uint32_t>(i + 1);
      t.video = track.video.has_value();
      t.timescale = track.timebase();
      if (track.video) {
        t.width = track.video->width;
        t.height = track.video->height;
        t.sampleEntry = videoSampleEntry(*track.video);
      } else {
        t.mediaStart = track.audio->preSkip;
        t.sampleEntry = audioSampleEntry(*track.audio);
      }
      movie.tracks.push_back(std::move(t));
    }
    bmff::Writer w(out);
    mp4::writeFileType(w);
    mp4::writeMovie(w, movie);
  }

  void writePacket(const EncodedPacket& packet, std::vector<uint8_t>& out) override {
    const MuxerTrack& track = tracks_.at(packet.track);
    auto& samples = pending_[packet.track];
    // The previous sample lasts until this one starts (variable frame rates included).
    if (!samples.empty() && packet.timestamp > samples.back().timestamp)
      samples.back().duration = static_cast<uint32_t>(packet.timestamp - samples.back().timestamp);
    PendingSample sample{packet.data, packet.timestamp, packet.duration, packet.keyFrame};
    if (packet.discardPadding > 0 && packet.discardPadding < packet.duration)
      sample.duration -= packet.discardPadding;
    pendingBytes_ += sample.data.size();
    const int64_t startUs = unitsToMicros(packet.timestamp, track.timebase());
    if (!fragmentStartUs_) fragmentStartUs_ = startUs;
    samples.push_back(std::move(sample));
    if (startUs - *fragmentStartUs_ >= kMaxFragmentUs || pendingBytes_ >= kMaxFragmentBytes)
      writeFragment(out);
  }

  void flush(std::vector<uint8_t>& out) override { writeFragment(out); }
  void finish(std::vector<uint8_t>& out) override { writeFragment(out); }

 private:
  void writeFragment(std::vector<uint8_t>& out) {
    if (pendingBytes_ == 0 &&
        std::all_of(pending_.begin(), pending_.end(), [](auto& s) { return s.empty(); }))
      return;
    const size_t moofStart = out.size();
    bmff::Writer w(out);
    std::vector<std::pair<size_t, uint32_t>> dataOffsets;  // where each trun's offset goes
    uint32_t mdatOffset = 0;
    {
      bmff::Box moof(w, "moof");
      {
        bmff::Box mfhd(w, "mfhd", 0, 0);
        w.u32(++sequence_);
      }
      for (size_t i = 0; i < pending_.size(); ++i) {
        const auto& samples = pending_[i];
        if (samples.empty()) continue;
        bmff::Box traf(w, "traf");
        {
          bmff::Box tfhd(w, "tfhd", 0, kDefaultBaseIsMoof);
          w.u32(static_cast<uint32_t>(i + 1));
        }
        {
          bmff::Box tfdt(w, "tfdt", 1, 0);
          w.u64(static_cast<uint64_t>(std::max<int64_t>(samples.front().timestamp, 0)));
        }
        bmff::Box trun(w, "trun", 0, kTrunFlags);
        w.u32(static_cast<uint32_t>(samples.size()));
        dataOffsets.emplace_back(w.size(), mdatOffset);
        w.u32(0);
        for (const PendingSample& s : samples) {
          w.u32(s.duration);
          w.u32(static_cast<uint32_t>(s.data.size()));
          w.u32(s.sync ? kSyncSampleFlags : kNonSyncSampleFlags);
          mdatOffset += static_cast<uint32_t>(s.data.size());
        }
      }
    }
    const size_t moofSize = out.size() - moofStart;
    constexpr uint32_t kMdatHeader = 8;
    for (const auto& [at, offset] : dataOffsets)
      w.patchU32(at, static_cast<uint32_t>(moofSize) + kMdatHeader + offset);
    w.u32(kMdatHeader + mdatOffset);
    w.fourcc("mdat");
    for (auto& samples : pending_) {
      for (const PendingSample& s : samples) w.bytes(s.data);
      samples.clear();
    }
    pendingBytes_ = 0;
    fragmentStartUs_.reset();
  }

  const std::vector<MuxerTrack> tracks_;
  std::vector<std::vector<PendingSample>> pending_;  // per track, since the last fragment
  size_t pendingBytes_ = 0;
  std::optional<int64_t> fragmentStartUs_;
  uint32_t sequence_ = 0;
};

}  // namespace

std::unique_ptr<Muxer> makeMp4Muxer(const ContainerFormat&, const std::vector<MuxerTrack>& tracks) {
  return std::make_unique<Mp4Muxer>(tracks);
}

}  // namespace mrec::detail
