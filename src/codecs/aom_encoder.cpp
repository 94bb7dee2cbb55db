// AV1 through libaom in its realtime mode (AOM_USAGE_REALTIME), the mode WebRTC and
// Chromium use for live AV1: one pass, no lag, no dropped frames, key frames only where the
// recorder asks for them. Packets leave without their temporal delimiter, and the sequence
// header goes into the av1C record, as Matroska's AV1 mapping asks.
#include <aom/aom_encoder.h>
#include <aom/aomcx.h>

#include <algorithm>
#include <cstdlib>

#include "codecs/video_encoder.h"
#include "core/media_time.h"
#include "core/pixel_format.h"

namespace mrec::detail {

namespace {

// The fastest realtime speed of libaom 3.x: AV1 at the cost of VP9 realtime, not of a film.
constexpr int kAv1CpuUsed = 10;
constexpr uint8_t kObuSequenceHeader = 1, kObuTemporalDelimiter = 2;

/// Reads bits most significant first, as AV1's syntax is written.
class BitReader {
 public:
  BitReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint32_t read(int bits) {
    uint32_t value = 0;
    for (int i = 0; i < bits; ++i) {
      const size_t byte = position_ / 8;
      const uint32_t bit = byte < size_ ? (data_[byte] >> (7 - position_ % 8)) & 1u : 0u;
      value = (value << 1) | bit;
      ++position_;
    }
    return value;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
};

/// av1C (AV1-ISOBMFF §2.3), for 8-bit 4:2:0 streams as this encoder makes them: the
/// profile and first operating point's level and tier from the sequence header, then the
/// sequence header OBU itself.
std::vector<uint8_t> makeAv1C(const std::vector<uint8_t>& sequenceHeaderObu) {
  uint32_t profile = 0, level = 31, tier = 0;  // 31: "maximum parameters", if unreadable
  if (sequenceHeaderObu.size() > 2 && ((sequenceHeaderObu[0] >> 3) & 0xF) == kObuSequenceHeader) {
    size_t offset = 1 + ((sequenceHeaderObu[0] & 0x04) ? 1 : 0);  // header, extension
    if (sequenceHeaderObu[0] & 0x02)                              // has_size_field: leb128
      while (offset < sequenceHeaderObu.size() && (sequenceHeaderObu[offset++] & 0x80)) {
      }
    BitReader bits(sequenceHeaderObu.data() + offset, sequenceHeaderObu.size() - offset);
    profile = bits.read(3);
    bits.read(1);        // still_picture
    if (bits.read(1)) {  // reduced_still_picture_header
      level = bits.read(5);
    } else if (!bits.read(1)) {  // timing_info_present_flag: libaom realtime leaves it off
      const bool initialDisplayDelay = bits.read(1) != 0;
      bits.read(5);   // operating_points_cnt_minus_1
      bits.read(12);  // operating_point_idc[0]
      level = bits.read(5);
      if (level > 7) tier = bits.read(1);
      (void)initialDisplayDelay;
    }
  }
  std::vector<uint8_t> av1c{0x81,  // marker, version 1
                            static_cast<uint8_t>(profile << 5 | level),
                            static_cast<uint8_t>(tier << 7 | 0x0C),  // 8-bit, 4:2:0
                            0x00};
  av1c.insert(av1c.end(), sequenceHeaderObu.begin(), sequenceHeaderObu.end());
  return av1c;
}

class AomEncoder final : public VideoEncoder {
 public:
  explicit AomEncoder(const VideoEncoderConfig& config) : config_(config) {}
  ~AomEncoder() override {
    if (initialized_) aom_codec_destroy(&context_);
  }

  bool init(std::string& error) {
    aom_codec_iface_t* iface = aom_codec_av1_cx();
    aom_codec_enc_cfg_t cfg;
    if (aom_codec_enc_config_default(iface, &cfg, AOM_USAGE_REALTIME) != AOM_CODEC_OK) {
      error = "libaom has no realtime configuration";
      return false;
    }
    cfg.g_w = config_.width;
    cfg.g_h = config_.height;
    cfg.g_timebase = {1, int{kMicrosPerSecond}};
    cfg.g_threads = config_.threads;
    cfg.g_lag_in_frames = 0;
    cfg.g_pass = AOM_RC_ONE_PASS;
    cfg.rc_end_usage = AOM_VBR;
    cfg.rc_target_bitrate = clampVideoBitrate(config_.bitsPerSecond) / 1000;
    cfg.rc_dropframe_thresh = 0;
    cfg.rc_resize_mode = 0;
    cfg.kf_mode = AOM_KF_DISABLED;
    if (aom_codec_enc_init(&context_, iface, &cfg, 0) != AOM_CODEC_OK) {
      error = std::string("libaom cannot be set up: ") + aom_codec_error(&context_);
      return false;
    }
    initialized_ = true;
    aom_codec_control(&context_, AOME_SET_CPUUSED, kAv1CpuUsed);
    aom_codec_control(&context_, AV1E_SET_ROW_MT, 1);
    aom_codec_control(&context_, AV1E_SET_TILE_COLUMNS, config_.threads > 1 ? 1 : 0);
    if (aom_fixed_buf_t* headers = aom_codec_get_global_headers(&context_)) {
      const auto* bytes = static_cast<const uint8_t*>(headers->buf);
      codecPrivate_ = makeAv1C(std::vector<uint8_t>(bytes, bytes + headers->sz));
      std::free(headers->buf);
      std::free(headers);
    } else {
      error = "libaom gave no sequence header";
      return false;
    }
    return true;
  }

  std::vector<uint8_t> codecPrivate() const override { return codecPrivate_; }

  bool encode(const uint8_t* i420, int64_t timestampUs, int64_t durationUs, bool keyFrame,
              std::vector<EncodedPacket>& out) override {
    aom_image_t image;
    const uint32_t w = config_.width, h = config_.height;
    aom_img_wrap(&image, AOM_IMG_FMT_I420, w, h, 1, const_cast<uint8_t*>(i420));
    const auto planes = i420Planes(const_cast<uint8_t*>(i420), w, h);
    image.planes[AOM_PLANE_Y] = planes.y;
    image.planes[AOM_PLANE_U] = planes.u;
    image.planes[AOM_PLANE_V] = planes.v;
    image.stride[AOM_PLANE_Y] = planes.width;
    image.stride[AOM_PLANE_U] = image.stride[AOM_PLANE_V] = planes.chromaWidth;
    const auto duration = static_cast<unsigned long>(std::max<int64_t>(durationUs, 1));
    if (aom_codec_encode(&context_, &image, timestampUs, duration,
                         keyFrame ? AOM_EFLAG_FORCE_KF : 0) != AOM_CODEC_OK)
      return fail();
    collect(out);
    return true;
  }

  bool finish(std::vector<EncodedPacket>& out) override {
    if (aom_codec_encode(&context_, nullptr, 0, 1, 0) != AOM_CODEC_OK) return fail();
    collect(out);
    return true;
  }

  const std::string& lastError() const override { return error_; }

 private:
  bool fail() {
    error_ = std::string("the AV1 encoder failed: ") + aom_codec_error(&context_);
    if (const char* detail = aom_codec_error_detail(&context_)) error_ += std::string(" ") + detail;
    return false;
  }

  void collect(std::vector<EncodedPacket>& out) {
    aom_codec_iter_t iter = nullptr;
    while (const aom_codec_cx_pkt_t* pkt = aom_codec_get_cx_data(&context_, &iter)) {
      if (pkt->kind != AOM_CODEC_CX_FRAME_PKT) continue;
      const auto* bytes = static_cast<const uint8_t*>(pkt->data.frame.buf);
      size_t size = pkt->data.frame.sz;
      // A temporal delimiter OBU (header 0x12, size 0) opens each temporal unit: Matroska
      // blocks leave it out.
      if (size >= 2 && bytes[0] == (kObuTemporalDelimiter << 3 | 0x02) && bytes[1] == 0) {
        bytes += 2;
        size -= 2;
      }
      EncodedPacket packet;
      packet.data.assign(bytes, bytes + size);
      packet.timestamp = pkt->data.frame.pts;
      packet.duration = static_cast<uint32_t>(pkt->data.frame.duration);
      packet.keyFrame = (pkt->data.frame.flags & AOM_FRAME_IS_KEY) != 0;
      out.push_back(std::move(packet));
    }
  }

  const VideoEncoderConfig config_;
  aom_codec_ctx_t context_{};
  bool initialized_ = false;
  std::vector<uint8_t> codecPrivate_;
  std::string error_;
};

}  // namespace

// MP4's av1C box holds the same AV1CodecConfigurationRecord as Matroska's CodecPrivate.
std::vector<uint8_t> av1Mp4Config(const std::vector<uint8_t>& av1c, uint32_t, uint32_t) {
  return av1c;
}

std::unique_ptr<VideoEncoder> makeAomEncoder(const VideoEncoderConfig& config, std::string& error) {
  auto encoder = std::make_unique<AomEncoder>(config);
  if (!encoder->init(error)) return nullptr;
  return encoder;
}

}  // namespace mrec::detail
