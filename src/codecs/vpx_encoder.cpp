// VP8 and VP9 through libvpx, set up as browsers record: one pass, realtime deadline, no
// lag, no dropped frames, key frames only where the recorder asks for them.
#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>

#include <algorithm>
#include <utility>

#include "codecs/video_encoder.h"
#include "core/media_time.h"
#include "core/pixel_format.h"

namespace mrec::detail {

namespace {

// Speed for the realtime deadline. A negative VP8 value fixes the speed instead of letting
// the encoder trade quality for time as load varies, so that output and benchmarks repeat.
constexpr int kVp8CpuUsed = -6;
constexpr int kVp9CpuUsed = 8;

// What sets VP8 and VP9 apart here: the library's interface and the controls each takes.
struct VpxFlavour {
  vpx_codec_iface_t* (*interface)();
  void (*configure)(vpx_codec_ctx_t* context, uint32_t threads);
  /// How many threads to give the encoder of a `width`×`height` picture.
  uint32_t (*threadsFor)(uint32_t requested, uint32_t width, uint32_t height);
};

// VP8's threads wait for each other's rows by spinning: on a busy machine they burn the time
// the encoder needs, and live recording beside two CPU-bound processes fell from every frame
// (one thread) to 60–80 % of them (two). One thread keeps up to 720p at the realtime speed.
uint32_t vp8Threads(uint32_t requested, uint32_t width, uint32_t height) {
  return uint64_t{width} * height <= 1280u * 720u ? 1 : requested;
}

uint32_t asRequested(uint32_t requested, uint32_t, uint32_t) {
  return requested;
}

void configureVp8(vpx_codec_ctx_t* context, uint32_t threads) {
  vpx_codec_control(context, VP8E_SET_CPUUSED, kVp8CpuUsed);
  vpx_codec_control(context, VP8E_SET_TOKEN_PARTITIONS,
                    threads > 1 ? VP8_TWO_TOKENPARTITION : VP8_ONE_TOKENPARTITION);
}

void configureVp9(vpx_codec_ctx_t* context, uint32_t threads) {
  vpx_codec_control(context, VP8E_SET_CPUUSED, kVp9CpuUsed);
  vpx_codec_control(context, VP9E_SET_ROW_MT, 1);
  vpx_codec_control(context, VP9E_SET_TILE_COLUMNS, threads > 1 ? 1 : 0);
}

class VpxEncoder final : public VideoEncoder {
 public:
  VpxEncoder(const VideoEncoderConfig& config, VpxFlavour flavour)
      : config_(config), flavour_(flavour) {}
  ~VpxEncoder() override {
    if (initialized_) vpx_codec_destroy(&context_);
  }

  bool init(std::string& error) {
    vpx_codec_iface_t* iface = flavour_.interface();
    vpx_codec_enc_cfg_t cfg;
    if (vpx_codec_enc_config_default(iface, &cfg, 0) != VPX_CODEC_OK) {
      error = "libvpx has no default configuration";
      return false;
    }
    cfg.g_w = config_.width;
    cfg.g_h = config_.height;
    cfg.g_timebase = {1, int{kMicrosPerSecond}};  // microseconds, the recorder's media time
    threads_ = flavour_.threadsFor(config_.threads, config_.width, config_.height);
    cfg.g_threads = threads_;
    cfg.g_lag_in_frames = 0;
    cfg.g_pass = VPX_RC_ONE_PASS;
    cfg.g_error_resilient = 0;
    cfg.rc_end_usage = VPX_VBR;
    cfg.rc_target_bitrate = clampVideoBitrate(config_.bitsPerSecond) / 1000;
    cfg.rc_dropframe_thresh = 0;  // every frame the source made is in the file
    cfg.rc_resize_allowed = 0;
    // The recorder places key frames (docs/conformance.md §2.2 step 12).
    cfg.kf_mode = VPX_KF_DISABLED;
    if (vpx_codec_enc_init(&context_, iface, &cfg, 0) != VPX_CODEC_OK) {
      error = std::string("libvpx cannot be set up: ") + vpx_codec_error(&context_);
      return false;
    }
    initialized_ = true;
    flavour_.configure(&context_, threads_);
    return true;
  }

  std::vector<uint8_t> codecPrivate() const override { return {}; }

  bool encode(const uint8_t* i420, int64_t timestampUs, int64_t durationUs, bool keyFrame,
              std::vector<EncodedPacket>& out) override {
    vpx_image_t image;
    const uint32_t w = config_.width, h = config_.height;
    vpx_img_wrap(&image, VPX_IMG_FMT_I420, w, h, 1, const_cast<uint8_t*>(i420));
    // Packed planes, chroma rounded up: set explicitly, as vpx_img_wrap assumes even strides.
    const auto planes = i420Planes(const_cast<uint8_t*>(i420), w, h);
    image.planes[VPX_PLANE_Y] = planes.y;
    image.planes[VPX_PLANE_U] = planes.u;
    image.planes[VPX_PLANE_V] = planes.v;
    image.stride[VPX_PLANE_Y] = planes.width;
    image.stride[VPX_PLANE_U] = image.stride[VPX_PLANE_V] = planes.chromaWidth;
    const auto duration = static_cast<unsigned long>(std::max<int64_t>(durationUs, 1));
    if (vpx_codec_encode(&context_, &image, timestampUs, duration,
                         keyFrame ? VPX_EFLAG_FORCE_KF : 0, VPX_DL_REALTIME) != VPX_CODEC_OK)
      return fail();
    collect(out);
    return true;
  }

  bool finish(std::vector<EncodedPacket>& out) override {
    if (vpx_codec_encode(&context_, nullptr, 0, 1, 0, VPX_DL_REALTIME) != VPX_CODEC_OK)
      return fail();
    collect(out);
    return true;
  }

  const std::string& lastError() const override { return error_; }

 private:
  bool fail() {
    error_ = std::string("the video encoder failed: ") + vpx_codec_error(&context_);
    if (const char* detail = vpx_codec_error_detail(&context_)) error_ += std::string(" ") + detail;
    return false;
  }

  void collect(std::vector<EncodedPacket>& out) {
    vpx_codec_iter_t iter = nullptr;
    while (const vpx_codec_cx_pkt_t* pkt = vpx_codec_get_cx_data(&context_, &iter)) {
      if (pkt->kind != VPX_CODEC_CX_FRAME_PKT) continue;
      EncodedPacket packet;
      const auto* bytes = static_cast<const uint8_t*>(pkt->data.frame.buf);
      packet.data.assign(bytes, bytes + pkt->data.frame.sz);
      packet.timestamp = pkt->data.frame.pts;
      packet.duration = static_cast<uint32_t>(pkt->data.frame.duration);
      packet.keyFrame = (pkt->data.frame.flags & VPX_FRAME_IS_KEY) != 0;
      out.push_back(std::move(packet));
    }
  }

  const VideoEncoderConfig config_;
  const VpxFlavour flavour_;
  vpx_codec_ctx_t context_{};
  bool initialized_ = false;
  uint32_t threads_ = 1;
  std::string error_;
};

}  // namespace

namespace {
std::unique_ptr<VideoEncoder> makeVpxEncoder(const VideoEncoderConfig& config, VpxFlavour flavour,
                                             std::string& error) {
  auto encoder = std::make_unique<VpxEncoder>(config, flavour);
  if (!encoder->init(error)) return nullptr;
  return encoder;
}
}  // namespace

// The VP Codec Configuration Box body ("VP Codec ISO Media File Format Binding" §2.3,
// version 1): profile 0, 8 bits, 4:2:0, studio range, colour left unspecified (the sources'
// conversions do not say which matrix they used), and the level the picture size needs.
std::vector<uint8_t> vp9Mp4Config(const std::vector<uint8_t>&, uint32_t width, uint32_t height) {
  // Luma picture size limits of VP9 levels 1 to 6 (the VP9 levels table).
  constexpr std::pair<uint64_t, uint8_t> kLevels[] = {
      {36864, 10},  {73728, 11},   {122880, 20},  {245760, 21},   {552960, 30},
      {983040, 31}, {2228224, 40}, {8912896, 50}, {35651584, 60}, {UINT64_MAX, 62}};
  const uint64_t pixels = uint64_t{width} * height;
  uint8_t level = 62;
  for (const auto& [limit, value] : kLevels)
    if (pixels <= limit) {
      level = value;
      break;
    }
  constexpr uint8_t kUnspecified = 2;
  constexpr uint8_t kEightBits420Vertical = 8 << 4;
  return {1,
          0,
          0,
          0,
          /*profile*/ 0,
          level,
          kEightBits420Vertical,
          kUnspecified,
          kUnspecified,
          kUnspecified,
          0,
          0};
}

std::unique_ptr<VideoEncoder> makeVp8Encoder(const VideoEncoderConfig& config, std::string& error) {
  return makeVpxEncoder(config, {vpx_codec_vp8_cx, configureVp8, vp8Threads}, error);
}

std::unique_ptr<VideoEncoder> makeVp9Encoder(const VideoEncoderConfig& config, std::string& error) {
  return makeVpxEncoder(config, {vpx_codec_vp9_cx, configureVp9, asRequested}, error);
}

}  // namespace mrec::detail
