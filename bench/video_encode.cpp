// Video encode + mux speed, mrec against the codec library alone, on the same raw frames.
//
//   video_encode libvpx|mrec|openh264|mrec-h264 FRAMES.yuv WIDTH HEIGHT FPS BITRATE OUT
//
// FRAMES.yuv is packed I420 (ffmpeg -f rawvideo -pix_fmt yuv420p). The frames are read into
// memory first, so neither side pays for the disk. `libvpx` encodes them with the settings
// mrec gives libvpx (realtime deadline, speed -6, one thread up to 720p, VBR, no lag) and writes
// the raw packets; `mrec` writes each as a VideoFrame to a MediaStreamTrackGenerator recorded as
// video/webm;codecs=vp8, so the figure includes the copy into the pipeline, the queue, the
// encoder, the WebM writer and the Blobs. `openh264` encodes with the settings mrec gives
// OpenH264 (camera realtime, constrained baseline, bitrate control without frame skipping,
// one thread) and writes Annex B; `mrec-h264` records video/mp4;codecs=avc1, so it adds the
// MP4 writer's fragments. Prints "frames N seconds S fps F".
#include <mrec/mrec.h>
#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>
#include <wels/codec_api.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

int encodeWithLibvpx(const std::vector<std::vector<uint8_t>>& frames, unsigned w, unsigned h,
                     double fps, unsigned bitrate, std::FILE* out) {
  vpx_codec_enc_cfg_t cfg;
  vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &cfg, 0);
  cfg.g_w = w;
  cfg.g_h = h;
  cfg.g_timebase = {1, 1000000};
  cfg.g_threads = 1;  // as mrec gives VP8 up to 720p (vpx_encoder.cpp says why)
  cfg.g_lag_in_frames = 0;
  cfg.g_pass = VPX_RC_ONE_PASS;
  cfg.rc_end_usage = VPX_VBR;
  cfg.rc_target_bitrate = bitrate / 1000;
  cfg.rc_dropframe_thresh = 0;
  cfg.rc_resize_allowed = 0;
  cfg.kf_mode = VPX_KF_DISABLED;
  vpx_codec_ctx_t codec;
  if (vpx_codec_enc_init(&codec, vpx_codec_vp8_cx(), &cfg, 0) != VPX_CODEC_OK) return 1;
  vpx_codec_control(&codec, VP8E_SET_CPUUSED, -6);
  vpx_codec_control(&codec, VP8E_SET_TOKEN_PARTITIONS, VP8_ONE_TOKENPARTITION);
  const auto frameUs = static_cast<int64_t>(1e6 / fps);
  for (size_t i = 0; i < frames.size(); ++i) {
    vpx_image_t image;
    vpx_img_wrap(&image, VPX_IMG_FMT_I420, w, h, 1, const_cast<uint8_t*>(frames[i].data()));
    // A key frame every 2 s, as mrec places them by default.
    const bool key = i % static_cast<size_t>(2 * fps) == 0;
    if (vpx_codec_encode(&codec, &image, static_cast<int64_t>(i) * frameUs, frameUs,
                         key ? VPX_EFLAG_FORCE_KF : 0, VPX_DL_REALTIME) != VPX_CODEC_OK)
      return 1;
    vpx_codec_iter_t iter = nullptr;
    while (const vpx_codec_cx_pkt_t* pkt = vpx_codec_get_cx_data(&codec, &iter))
      if (pkt->kind == VPX_CODEC_CX_FRAME_PKT)
        std::fwrite(pkt->data.frame.buf, 1, pkt->data.frame.sz, out);
  }
  vpx_codec_destroy(&codec);
  return 0;
}

int encodeWithOpenH264(const std::vector<std::vector<uint8_t>>& frames, unsigned w, unsigned h,
                       double fps, unsigned bitrate, std::FILE* out) {
  ISVCEncoder* encoder = nullptr;
  if (WelsCreateSVCEncoder(&encoder) != 0 || !encoder) return 1;
  int quiet = WELS_LOG_QUIET;
  encoder->SetOption(ENCODER_OPTION_TRACE_LEVEL, &quiet);
  SEncParamExt params;
  encoder->GetDefaultParams(&params);
  params.iUsageType = CAMERA_VIDEO_REAL_TIME;
  params.iPicWidth = static_cast<int>(w);
  params.iPicHeight = static_cast<int>(h);
  params.fMaxFrameRate = static_cast<float>(fps);
  params.iTargetBitrate = static_cast<int>(bitrate);
  params.iMaxBitrate = UNSPECIFIED_BIT_RATE;
  params.iRCMode = RC_BITRATE_MODE;
  params.bEnableFrameSkip = false;
  params.uiIntraPeriod = 0;
  params.iSpatialLayerNum = 1;
  params.iTemporalLayerNum = 1;
  params.iMultipleThreadIdc = 1;
  params.eSpsPpsIdStrategy = CONSTANT_ID;
  params.iNumRefFrame = 1;
  SSpatialLayerConfig& layer = params.sSpatialLayers[0];
  layer.iVideoWidth = params.iPicWidth;
  layer.iVideoHeight = params.iPicHeight;
  layer.fFrameRate = params.fMaxFrameRate;
  layer.iSpatialBitrate = params.iTargetBitrate;
  layer.iMaxSpatialBitrate = UNSPECIFIED_BIT_RATE;
  layer.uiProfileIdc = PRO_BASELINE;
  layer.sSliceArgument.uiSliceMode = SM_SINGLE_SLICE;
  if (encoder->InitializeExt(&params) != cmResultSuccess) return 1;
  for (size_t i = 0; i < frames.size(); ++i) {
    uint8_t* data = const_cast<uint8_t*>(frames[i].data());
    SSourcePicture picture{};
    picture.iColorFormat = videoFormatI420;
    picture.iPicWidth = params.iPicWidth;
    picture.iPicHeight = params.iPicHeight;
    picture.iStride[0] = static_cast<int>(w);
    picture.iStride[1] = picture.iStride[2] = static_cast<int>((w + 1) / 2);
    picture.pData[0] = data;
    picture.pData[1] = data + size_t{w} * h;
    picture.pData[2] = picture.pData[1] + size_t{(w + 1) / 2} * ((h + 1) / 2);
    picture.uiTimeStamp = static_cast<long long>(double(i) * 1000 / fps);
    if (i % static_cast<size_t>(2 * fps) == 0) encoder->ForceIntraFrame(true);  // as mrec
    SFrameBSInfo info{};
    if (encoder->EncodeFrame(&picture, &info) != cmResultSuccess) return 1;
    for (int l = 0; l < info.iLayerNum; ++l) {
      const SLayerBSInfo& bits = info.sLayerInfo[l];
      size_t size = 0;
      for (int n = 0; n < bits.iNalCount; ++n)
        size += static_cast<size_t>(bits.pNalLengthInByte[n]);
      std::fwrite(bits.pBsBuf, 1, size, out);
    }
  }
  encoder->Uninitialize();
  WelsDestroySVCEncoder(encoder);
  return 0;
}

int encodeWithMrec(std::vector<std::vector<uint8_t>>& frames, unsigned w, unsigned h, double fps,
                   unsigned bitrate, const char* type, std::FILE* out) {
  auto generator = mrec::MediaStreamTrackGenerator::create("video");
  auto stream = std::make_shared<mrec::MediaStream>(
      std::vector<std::shared_ptr<mrec::MediaStreamTrack>>{generator});
  auto loop = std::make_shared<mrec::EventLoop>();
  mrec::MediaRecorder recorder(stream, {.mimeType = type, .videoBitsPerSecond = bitrate}, loop);
  bool stopped = false;
  recorder.ondataavailable = [&](const mrec::BlobEvent& e) {
    const auto bytes = e.data.arrayBuffer();
    std::fwrite(bytes.data(), 1, bytes.size(), out);
  };
  recorder.onstop = [&](const mrec::Event&) { stopped = true; };
  recorder.start(1000);
  std::thread writer([&] {
    const auto frameUs = static_cast<int64_t>(1e6 / fps);
    for (size_t i = 0; i < frames.size(); ++i)
      // As a program that made the frame hands it over: its bytes move into the pipeline.
      generator->write(mrec::VideoFrame{mrec::VideoPixelFormat::I420, w, h,
                                        static_cast<int64_t>(i) * frameUs, frameUs,
                                        std::move(frames[i])});
    generator->close();
  });
  loop->runUntil([&] { return stopped; }, std::chrono::hours(1));
  writer.join();
  return stopped ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::cerr << "usage: video_encode libvpx|mrec|openh264|mrec-h264 FRAMES.yuv WIDTH HEIGHT FPS "
                 "BITRATE OUT\n";
    return 2;
  }
  const std::string mode = argv[1];
  const unsigned w = std::stoul(argv[3]), h = std::stoul(argv[4]);
  const double fps = std::stod(argv[5]);
  const unsigned bitrate = std::stoul(argv[6]);
  // Each frame read straight into its own buffer: the reading is the same for every side and
  // is not what is measured, so it must cost as little as it can (a byte-wise read of the whole
  // file and a copy of each frame out of it were half the CPU time of a run, which pulled every
  // ratio towards 1).
  std::ifstream in(argv[2], std::ios::binary);
  const size_t frameBytes = size_t{w} * h + 2 * size_t{(w + 1) / 2} * ((h + 1) / 2);
  std::vector<std::vector<uint8_t>> frames;
  while (true) {
    std::vector<uint8_t> frame(frameBytes);
    if (!in.read(reinterpret_cast<char*>(frame.data()), std::streamsize(frameBytes))) break;
    frames.push_back(std::move(frame));
  }
  std::FILE* out = std::fopen(argv[7], "wb");
  if (frames.empty() || !out) return 1;

  const auto begin = std::chrono::steady_clock::now();
  int status = 2;
  if (mode == "libvpx") status = encodeWithLibvpx(frames, w, h, fps, bitrate, out);
  if (mode == "openh264") status = encodeWithOpenH264(frames, w, h, fps, bitrate, out);
  if (mode == "mrec")
    status = encodeWithMrec(frames, w, h, fps, bitrate, "video/webm;codecs=vp8", out);
  if (mode == "mrec-h264")
    status = encodeWithMrec(frames, w, h, fps, bitrate, "video/mp4;codecs=avc1", out);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::fclose(out);
  std::printf("frames %zu seconds %.3f fps %.1f\n", frames.size(), seconds,
              double(frames.size()) / seconds);
  return status;
}
