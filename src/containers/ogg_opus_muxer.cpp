// Ogg Opus, RFC 7845: OpusHead and OpusTags each on a page of their own, granule positions
// counting 48 kHz samples including the pre-skip, the last page's granule trimmed to the end
// of the media, and EOS.
#include <ogg/ogg.h>

#include <random>

#include "containers/muxer.h"

namespace mrec::detail {

namespace {

void putLe32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

std::vector<uint8_t> makeOpusTags() {
  std::vector<uint8_t> tags{'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
  const std::string& vendor = writingApplication();
  putLe32(tags, static_cast<uint32_t>(vendor.size()));
  tags.insert(tags.end(), vendor.begin(), vendor.end());
  const std::string encoder = "ENCODER=" + vendor;
  putLe32(tags, 1);
  putLe32(tags, static_cast<uint32_t>(encoder.size()));
  tags.insert(tags.end(), encoder.begin(), encoder.end());
  return tags;
}

class OggOpusMuxer final : public Muxer {
 public:
  explicit OggOpusMuxer(const AudioTrackInfo& track) : track_(track) {
    if (ogg_stream_init(&stream_, static_cast<int>(std::random_device{}())) != 0)
      throw std::runtime_error("ogg_stream_init failed");
  }
  ~OggOpusMuxer() override { ogg_stream_clear(&stream_); }

  void writeHeader(std::vector<uint8_t>& out) override {
    submit(track_.codecPrivate, /*granule=*/0, /*bos=*/true, /*eos=*/false);
    drain(out, /*flush=*/true);
    submit(makeOpusTags(), 0, false, false);
    drain(out, /*flush=*/true);
  }

  void writePacket(const EncodedPacket& packet, std::vector<uint8_t>& out) override {
    const int64_t granule = packet.timestamp + packet.duration - packet.discardPadding;
    submit(packet.data, granule, false, packet.endOfStream);
    drain(out, /*flush=*/packet.endOfStream);
  }

  void flush(std::vector<uint8_t>& out) override { drain(out, /*flush=*/true); }
  void finish(std::vector<uint8_t>& out) override { drain(out, /*flush=*/true); }

 private:
  void submit(const std::vector<uint8_t>& data, int64_t granule, bool bos, bool eos) {
    ogg_packet packet{};
    packet.packet = const_cast<unsigned char*>(data.data());
    packet.bytes = static_cast<long>(data.size());
    packet.b_o_s = bos ? 1 : 0;
    packet.e_o_s = eos ? 1 : 0;
    packet.granulepos = granule;
    packet.packetno = packetNumber_++;
    ogg_stream_packetin(&stream_, &packet);
  }

  void drain(std::vector<uint8_t>& out, bool flush) {
    ogg_page page;
    while (flush ? ogg_stream_flush(&stream_, &page) : ogg_stream_pageout(&stream_, &page)) {
      out.insert(out.end(), page.header, page.header + page.header_len);
      out.insert(out.end(), page.body, page.body + page.body_len);
    }
  }

  const AudioTrackInfo track_;
  ogg_stream_state stream_{};
  int64_t packetNumber_ = 0;
};

}  // namespace

std::unique_ptr<Muxer> makeOggOpusMuxer(const ContainerFormat&,
                                        const std::vector<MuxerTrack>& tracks) {
  return std::make_unique<OggOpusMuxer>(*tracks[0].audio);
}

}  // namespace mrec::detail
