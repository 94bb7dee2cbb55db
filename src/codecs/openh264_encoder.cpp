// H.264 through OpenH264 (Cisco's encoder, the one Chromium records with), set up for
// realtime recording: camera usage, constrained baseline (no B-frames, so decode order is
// presentation order), bitrate rate control that never skips a frame, and key frames only
// where the recorder asks for them. Packets are length-prefixed NAL units with the parameter
// sets kept out of band in an avcC record (ISO/IEC 14496-15 §5.3.3), as MP4 stores them.
#include <wels/codec_api.h>

#include <cstring>

#include "codecs/video_encoder.h"
#include "core/pixel_format.h"

namespace mrec::detail {

namespace {

constexpr uint8_t kNalTypeMask = 0x1F;
constexpr uint8_t kNalSps = 7, kNalPps = 8;

// A NAL unit of OpenH264's Annex B output, without its start code.
struct Nal {
  const uint8_t* data;
  size_t size;
  uint8_t type() const { return size > 0 ? data[0] & kNalTypeMask : 0; }
};

template <typename Visit>
void forEachNal(const SFrameBSInfo& info, Visit&& visit) {
  for (int l = 0; l < info.iLayerNum; ++l) {
    const SLayerBSInfo& layer = info.sLayerInfo[l];
    const uint8_t* at = layer.pBsBuf;
    for (int n = 0; n < layer.iNalCount; ++n) {
      const auto length = static_cast<size_t>(layer.pNalLengthInByte[n]);
      size_t startCode = 0;
      while (startCode < length && startCode < 4 && at[startCode] == 0) ++startCode;
      if (startCode < length && at[startCode] == 1) ++startCode;
      visit(Nal{at + startCode, length - startCode});
      at += length;
    }
  }
}

class OpenH264Encoder final : public VideoEncoder {
 public:
  explicit OpenH264Encoder(const VideoEncoderConfig& config) : config_(config) {}
  ~OpenH264Encoder() override {
    if (encoder_) {
      encoder_->Uninitialize();
      WelsDestroySVCEncoder(encoder_);
    }
  }

  bool init(std::string& error) {
    if (config_.width % 2 || config_.height % 2) {
      error = "H.264 encodes even sizes only, not " + std::to_string(config_.width) + "x" +
              std::to_string(config_.height);
      return false;
    }
    const CodecProfileLevel profile =
        config_.profileLevel.value_or(CodecProfileLevel{.profile = 66});
    if (WelsCreateSVCEncoder(&encoder_) != 0 || !encoder_) {
      error = "OpenH264 cannot make an encoder";
      return false;
    }
    int quiet = WELS_LOG_QUIET;
    encoder_->SetOption(ENCODER_OPTION_TRACE_LEVEL, &quiet);
    SEncParamExt params;
    encoder_->GetDefaultParams(&params);
    const int bitrate = static_cast<int>(clampVideoBitrate(config_.bitsPerSecond));
    params.iUsageType = CAMERA_VIDEO_REAL_TIME;
    params.iPicWidth = static_cast<int>(config_.width);
    params.iPicHeight = static_cast<int>(config_.height);
    params.fMaxFrameRate = static_cast<float>(config_.frameRate > 0 ? config_.frameRate : 30);
    params.iTargetBitrate = bitrate;
    params.iMaxBitrate = UNSPECIFIED_BIT_RATE;
    params.iRCMode = RC_BITRATE_MODE;
    params.bEnableFrameSkip = false;  // every frame the source made is in the file
    // The recorder places key frames (docs/conformance.md §2.2 step 12).
    params.uiIntraPeriod = 0;
    params.iSpatialLayerNum = 1;
    params.iTemporalLayerNum = 1;
    params.iMultipleThreadIdc = 1;
    params.eSpsPpsIdStrategy = CONSTANT_ID;  // one SPS and PPS for the whole recording
    params.iNumRefFrame = 1;
    SSpatialLayerConfig& layer = params.sSpatialLayers[0];
    layer.iVideoWidth = params.iPicWidth;
    layer.iVideoHeight = params.iPicHeight;
    layer.fFrameRate = params.fMaxFrameRate;
    layer.iSpatialBitrate = bitrate;
    layer.iMaxSpatialBitrate = UNSPECIFIED_BIT_RATE;
    layer.uiProfileIdc = static_cast<EProfileIdc>(profile.profile);
    if (profile.level) layer.uiLevelIdc = static_cast<ELevelIdc>(*profile.level);
    // CABAC is what Main and High add over Baseline that OpenH264 can use; it saves bits.
    params.iEntropyCodingModeFlag = profile.profile == PRO_BASELINE ? 0 : 1;
    layer.sSliceArgument.uiSliceMode = SM_SINGLE_SLICE;
    if (encoder_->InitializeExt(&params) != cmResultSuccess) {
      error = "OpenH264 cannot be set up for " + std::to_string(config_.width) + "x" +
              std::to_string(config_.height);
      return false;
    }
    int format = videoFormatI420;
    encoder_->SetOption(ENCODER_OPTION_DATAFORMAT, &format);
    SFrameBSInfo info;
    std::memset(&info, 0, sizeof info);
    if (encoder_->EncodeParameterSets(&info) != cmResultSuccess) {
      error = "OpenH264 gives no parameter sets";
      return false;
    }
    std::vector<uint8_t> sps, pps;
    forEachNal(info, [&](const Nal& nal) {
      if (nal.type() == kNalSps) sps.assign(nal.data, nal.data + nal.size);
      if (nal.type() == kNalPps) pps.assign(nal.data, nal.data + nal.size);
    });
    if (sps.size() < 4 || pps.empty()) {
      error = "OpenH264 gives no parameter sets";
      return false;
    }
    avcc_ = {1, sps[1], sps[2], sps[3], 0xFF /* 4-byte lengths */, 0xE1 /* one SPS */};
    putU16(avcc_, sps.size());
    avcc_.insert(avcc_.end(), sps.begin(), sps.end());
    avcc_.push_back(1);  // one PPS
    putU16(avcc_, pps.size());
    avcc_.insert(avcc_.end(), pps.begin(), pps.end());
    return true;
  }

  std::vector<uint8_t> codecPrivate() const override { return avcc_; }

  bool encode(const uint8_t* i420, int64_t timestampUs, int64_t durationUs, bool keyFrame,
              std::vector<EncodedPacket>& out) override {
    const auto planes = i420Planes(const_cast<uint8_t*>(i420), config_.width, config_.height);
    SSourcePicture picture;
    std::memset(&picture, 0, sizeof picture);
    picture.iColorFormat = videoFormatI420;
    picture.iPicWidth = static_cast<int>(config_.width);
    picture.iPicHeight = static_cast<int>(config_.height);
    picture.iStride[0] = static_cast<int>(config_.width);
    picture.iStride[1] = picture.iStride[2] = static_cast<int>((config_.width + 1) / 2);
    picture.pData[0] = planes.y;
    picture.pData[1] = planes.u;
    picture.pData[2] = planes.v;
    picture.uiTimeStamp = timestampUs / 1000;
    if (keyFrame) encoder_->ForceIntraFrame(true);
    SFrameBSInfo info;
    std::memset(&info, 0, sizeof info);
    if (encoder_->EncodeFrame(&picture, &info) != cmResultSuccess) {
      error_ = "OpenH264 failed to encode a frame";
      return false;
    }
    if (info.eFrameType == videoFrameTypeSkip || info.eFrameType == videoFrameTypeInvalid)
      return true;
    EncodedPacket packet;
    forEachNal(info, [&](const Nal& nal) {
      if (nal.type() == kNalSps || nal.type() == kNalPps) return;  // in the avcC record
      putU32(packet.data, nal.size);
      packet.data.insert(packet.data.end(), nal.data, nal.data + nal.size);
    });
    packet.timestamp = timestampUs;
    packet.duration = static_cast<uint32_t>(durationUs > 0 ? durationUs : 0);
    packet.keyFrame = info.eFrameType == videoFrameTypeIDR;
    out.push_back(std::move(packet));
    return true;
  }

  bool finish(std::vector<EncodedPacket>&) override { return true; }  // no frame is held back
  const std::string& lastError() const override { return error_; }

 private:
  static void putU16(std::vector<uint8_t>& out, size_t value) {
    out.push_back(static_cast<uint8_t>(value >> 8));
    out.push_back(static_cast<uint8_t>(value));
  }
  static void putU32(std::vector<uint8_t>& out, size_t value) {
    putU16(out, value >> 16);
    putU16(out, value & 0xFFFF);
  }

  const VideoEncoderConfig config_;
  ISVCEncoder* encoder_ = nullptr;
  std::vector<uint8_t> avcc_;
  std::string error_;
};

}  // namespace

// MP4's avcC box holds the AVCDecoderConfigurationRecord that is the encoder's codecPrivate.
std::vector<uint8_t> h264Mp4Config(const std::vector<uint8_t>& avcc, uint32_t, uint32_t) {
  return avcc;
}

std::unique_ptr<VideoEncoder> makeOpenH264Encoder(const VideoEncoderConfig& config,
                                                  std::string& error) {
  auto encoder = std::make_unique<OpenH264Encoder>(config);
  if (!encoder->init(error)) return nullptr;
  return encoder;
}

}  // namespace mrec::detail
