// The rows. A row's position is its enumerator's value; the static_asserts below and the
// exhaustive switches in rowOf() make a missing or misplaced row a compile error.
#include "core/format_table.h"

#include <algorithm>
#include <array>

namespace mrec::detail {

// The factories, each defined beside its encoder or writer.
std::unique_ptr<AudioEncoder> makeOpusEncoder(const AudioEncoderConfig&, std::string&);
std::unique_ptr<AudioEncoder> makePcmEncoder(const AudioEncoderConfig&, std::string&);
#if MREC_HAVE_AAC
std::unique_ptr<AudioEncoder> makeAacEncoder(const AudioEncoderConfig&, std::string&);
std::vector<uint8_t> aacMp4Config(const std::vector<uint8_t>& audioSpecificConfig);
bool aacEncoderAvailable(std::string& reason);
#endif
std::unique_ptr<VideoEncoder> makeVp8Encoder(const VideoEncoderConfig&, std::string&);
std::unique_ptr<VideoEncoder> makeVp9Encoder(const VideoEncoderConfig&, std::string&);
std::unique_ptr<VideoEncoder> makeAomEncoder(const VideoEncoderConfig&, std::string&);
std::unique_ptr<VideoEncoder> makeOpenH264Encoder(const VideoEncoderConfig&, std::string&);
std::unique_ptr<Muxer> makeOggOpusMuxer(const ContainerFormat&, const std::vector<MuxerTrack>&);
std::unique_ptr<Muxer> makeMatroskaMuxer(const ContainerFormat&, const std::vector<MuxerTrack>&);
std::unique_ptr<Muxer> makeMp4Muxer(const ContainerFormat&, const std::vector<MuxerTrack>&);
std::vector<uint8_t> opusMp4Config(const std::vector<uint8_t>& opusHead);
std::vector<uint8_t> vp9Mp4Config(const std::vector<uint8_t>&, uint32_t width, uint32_t height);
std::vector<uint8_t> av1Mp4Config(const std::vector<uint8_t>& av1c, uint32_t, uint32_t);
std::vector<uint8_t> h264Mp4Config(const std::vector<uint8_t>& avcc, uint32_t, uint32_t);
std::optional<CodecProfileLevel> parseH264CodecString(std::string_view item, std::string& reason);

namespace {

constexpr std::string_view kOpusIds[] = {"opus"};
constexpr std::string_view kPcmIds[] = {"pcm"};
constexpr std::string_view kAacIds[] = {"mp4a.40.2"};  // AAC-LC; HE-AAC (mp4a.40.5) is not
constexpr std::array kAudioCodecs{
    AudioCodecFormat{.codec = AudioCodec::Opus,
                     .name = "opus",
                     .displayName = "Opus",
                     .ids = kOpusIds,
                     .matroskaCodecId = "A_OPUS",
                     .maxChannels = 2,
                     .matroskaBitDepth = 0,
                     // RFC 7845 §4.6 and Matroska's Opus mapping.
                     .seekPreRollMs = 80,
                     .mp4SampleEntry = "Opus",
                     .mp4ConfigBox = "dOps",
                     .mp4Config = opusMp4Config,
                     .makeEncoder = makeOpusEncoder,
                     .buildOption = ""},
    AudioCodecFormat{.codec = AudioCodec::Pcm,
                     .name = "pcm",
                     .displayName = "PCM",
                     .ids = kPcmIds,
                     .matroskaCodecId = "A_PCM/FLOAT/IEEE",
                     .maxChannels = 32,
                     .matroskaBitDepth = 32,
                     .seekPreRollMs = 0,
                     .mp4SampleEntry = "",
                     .mp4ConfigBox = "",
                     .mp4Config = nullptr,
                     .makeEncoder = makePcmEncoder,
                     .buildOption = ""},
    // libavcodec's encoder; the encoder's priming is the pre-skip, trimmed by the edit list.
    AudioCodecFormat{.codec = AudioCodec::Aac,
                     .name = "mp4a.40.2",
                     .displayName = "AAC-LC",
                     .ids = kAacIds,
                     .matroskaCodecId = "A_AAC",
                     .maxChannels = 2,
                     .matroskaBitDepth = 0,
                     .seekPreRollMs = 0,
                     .mp4SampleEntry = "mp4a",
                     .mp4ConfigBox = "esds",
#if MREC_HAVE_AAC
                     .mp4Config = aacMp4Config,
                     .makeEncoder = makeAacEncoder,
                     .buildOption = "MREC_WITH_AAC",
                     .available = aacEncoderAvailable},
#else
                     .mp4Config = nullptr,
                     .makeEncoder = nullptr,
                     .buildOption = "MREC_WITH_AAC"},
#endif
};

constexpr std::string_view kVp8Ids[] = {"vp8"};
constexpr std::string_view kVp9Ids[] = {"vp9", "vp09"};
constexpr std::string_view kAv1Ids[] = {"av1", "av01"};
// avc1 with any profile string (avc1.42E01E, avc1.64001F); avc3 (parameter sets in band) is not
// what this writer makes.
constexpr std::string_view kH264Ids[] = {"avc1", "h264"};
constexpr std::array kVideoCodecs{
    VideoCodecFormat{.codec = VideoCodec::Vp8,
                     .name = "vp8",
                     .ids = kVp8Ids,
                     .matroskaCodecId = "V_VP8",
                     .mp4SampleEntry = "",
                     .mp4ConfigBox = "",
                     .mp4Config = nullptr,
                     .makeEncoder = makeVp8Encoder},
    VideoCodecFormat{.codec = VideoCodec::Vp9,
                     .name = "vp9",
                     .ids = kVp9Ids,
                     .matroskaCodecId = "V_VP9",
                     .mp4SampleEntry = "vp09",
                     .mp4ConfigBox = "vpcC",
                     .mp4Config = vp9Mp4Config,
                     .makeEncoder = makeVp9Encoder},
    VideoCodecFormat{.codec = VideoCodec::Av1,
                     .name = "av1",
                     .ids = kAv1Ids,
                     .matroskaCodecId = "V_AV1",
                     .mp4SampleEntry = "av01",
                     .mp4ConfigBox = "av1C",
                     .mp4Config = av1Mp4Config,
                     .makeEncoder = makeAomEncoder},
    VideoCodecFormat{.codec = VideoCodec::H264,
                     .name = "avc1",
                     .ids = kH264Ids,
                     .matroskaCodecId = "V_MPEG4/ISO/AVC",
                     .mp4SampleEntry = "avc1",
                     .mp4ConfigBox = "avcC",
                     .mp4Config = h264Mp4Config,
                     .makeEncoder = makeOpenH264Encoder,
                     .parseCodecString = parseH264CodecString},
};

constexpr std::string_view kOggOtherExtensions[] = {"opus", "oga"};
constexpr std::string_view kMatroskaOtherExtensions[] = {"mka"};
constexpr AudioCodec kOpusOnly[] = {AudioCodec::Opus};
constexpr AudioCodec kOpusOrPcm[] = {AudioCodec::Opus, AudioCodec::Pcm};
constexpr VideoCodec kVpxOrAv1[] = {VideoCodec::Vp8, VideoCodec::Vp9, VideoCodec::Av1};
constexpr std::string_view kMp4OtherExtensions[] = {"m4a"};
#if MREC_HAVE_AAC
constexpr AudioCodec kMp4Audio[] = {AudioCodec::Aac, AudioCodec::Opus};
#else
constexpr AudioCodec kMp4Audio[] = {AudioCodec::Opus};
#endif
constexpr VideoCodec kMp4Video[] = {VideoCodec::H264, VideoCodec::Vp9, VideoCodec::Av1};
// Audio-only streams may go into the video types too (docs/conformance.md decision 2).
constexpr std::array kContainers{
    ContainerFormat{.container = Container::Ogg,
                    .name = "Ogg",
                    .audioEssence = "audio/ogg",
                    .videoEssence = "",
                    .extension = "ogg",
                    .otherExtensions = kOggOtherExtensions,
                    .matroskaDocType = "",
                    .audioCodecs = kOpusOnly,
                    .videoCodecs = {},
                    .maxTracks = 1,
                    .finishedByMakeSeekable = false,
                    .blobsStartAtVideoKeyFrames = false,
                    .makeMuxer = makeOggOpusMuxer},
    ContainerFormat{.container = Container::WebM,
                    .name = "WebM",
                    .audioEssence = "audio/webm",
                    .videoEssence = "video/webm",
                    .extension = "webm",
                    .otherExtensions = {},
                    .matroskaDocType = "webm",
                    .audioCodecs = kOpusOrPcm,
                    .videoCodecs = kVpxOrAv1,
                    .maxTracks = 126,
                    .finishedByMakeSeekable = true,
                    .blobsStartAtVideoKeyFrames = true,
                    .makeMuxer = makeMatroskaMuxer},
    ContainerFormat{.container = Container::Matroska,
                    .name = "Matroska",
                    .audioEssence = "",
                    .videoEssence = "video/x-matroska",
                    .extension = "mkv",
                    .otherExtensions = kMatroskaOtherExtensions,
                    .matroskaDocType = "matroska",
                    .audioCodecs = kOpusOrPcm,
                    .videoCodecs = kVpxOrAv1,
                    .maxTracks = 126,
                    .finishedByMakeSeekable = true,
                    .blobsStartAtVideoKeyFrames = true,
                    .makeMuxer = makeMatroskaMuxer},
    // Fragmented while recording (ISO/IEC 14496-12 §8.8), finished by makeSeekable.
    ContainerFormat{.container = Container::Mp4,
                    .name = "MP4",
                    .audioEssence = "audio/mp4",
                    .videoEssence = "video/mp4",
                    .extension = "mp4",
                    .otherExtensions = kMp4OtherExtensions,
                    .matroskaDocType = "",
                    .audioCodecs = kMp4Audio,
                    .videoCodecs = kMp4Video,
                    .maxTracks = 0,
                    .finishedByMakeSeekable = true,
                    // A fragment may start at any frame (its first sample's flags say so),
                    // but Firefox's MediaSource drops a fragment's video up to its next key
                    // frame after a discontinuity, which AAC's trimmed priming frame is.
                    .blobsStartAtVideoKeyFrames = true,
                    .makeMuxer = makeMp4Muxer},
};

// Named by browsers' recorders; refused with "not supported by this build".
constexpr std::string_view kKnownUnrecordedCodecs[] = {"avc3", "hvc1", "hev1", "mp4a", "flac"};

constexpr size_t rowOf(Container container) {
  switch (container) {
    case Container::Ogg:
      return 0;
    case Container::WebM:
      return 1;
    case Container::Matroska:
      return 2;
    case Container::Mp4:
      return 3;
  }
  return kContainers.size();
}

constexpr size_t rowOf(AudioCodec codec) {
  switch (codec) {
    case AudioCodec::Opus:
      return 0;
    case AudioCodec::Pcm:
      return 1;
    case AudioCodec::Aac:
      return 2;
  }
  return kAudioCodecs.size();
}

constexpr size_t rowOf(VideoCodec codec) {
  switch (codec) {
    case VideoCodec::Vp8:
      return 0;
    case VideoCodec::Vp9:
      return 1;
    case VideoCodec::Av1:
      return 2;
    case VideoCodec::H264:
      return 3;
  }
  return kVideoCodecs.size();
}

template <typename Rows, typename Key>
constexpr bool rowsInOrder(const Rows& rows, Key Rows::value_type::*key) {
  for (size_t i = 0; i < rows.size(); ++i)
    if (rowOf(rows[i].*key) != i) return false;
  return true;
}
static_assert(rowsInOrder(kContainers, &ContainerFormat::container));
static_assert(rowsInOrder(kAudioCodecs, &AudioCodecFormat::codec));
static_assert(rowsInOrder(kVideoCodecs, &VideoCodecFormat::codec));

bool names(std::span<const std::string_view> ids, std::string_view item) {
  return std::any_of(ids.begin(), ids.end(), [&](std::string_view id) {
    return item == id ||
           (item.size() > id.size() && item.starts_with(id) && item[id.size()] == '.');
  });
}

}  // namespace

bool ContainerFormat::holds(AudioCodec codec) const {
  return std::find(audioCodecs.begin(), audioCodecs.end(), codec) != audioCodecs.end();
}

bool canRecord(const AudioCodecFormat& codec, std::string& reason) {
  if (!codec.makeEncoder) {
    reason = "is not in this build (configure with -D" + std::string(codec.buildOption) + "=ON)";
    return false;
  }
  std::string why;
  if (codec.available && !codec.available(why)) {
    reason = "cannot be recorded here: " + why;
    return false;
  }
  return true;
}

AudioCodec defaultAudioCodec(const ContainerFormat& container) {
  std::string reason;
  for (const AudioCodec codec : container.audioCodecs)
    if (canRecord(formatOf(codec), reason)) return codec;
  return container.audioCodecs.front();
}

bool ContainerFormat::holds(VideoCodec codec) const {
  return std::find(videoCodecs.begin(), videoCodecs.end(), codec) != videoCodecs.end();
}

const ContainerFormat& formatOf(Container container) {
  return kContainers.at(rowOf(container));
}

const AudioCodecFormat& formatOf(AudioCodec codec) {
  return kAudioCodecs.at(rowOf(codec));
}

const VideoCodecFormat& formatOf(VideoCodec codec) {
  return kVideoCodecs.at(rowOf(codec));
}

std::span<const ContainerFormat> containerFormats() {
  return kContainers;
}

std::span<const AudioCodecFormat> audioCodecFormats() {
  return kAudioCodecs;
}

std::span<const VideoCodecFormat> videoCodecFormats() {
  return kVideoCodecs;
}

const AudioCodecFormat* findAudioCodec(std::string_view item) {
  const auto row = std::find_if(kAudioCodecs.begin(), kAudioCodecs.end(),
                                [&](const AudioCodecFormat& f) { return names(f.ids, item); });
  return row == kAudioCodecs.end() ? nullptr : &*row;
}

const VideoCodecFormat* findVideoCodec(std::string_view item) {
  const auto row = std::find_if(kVideoCodecs.begin(), kVideoCodecs.end(),
                                [&](const VideoCodecFormat& f) { return names(f.ids, item); });
  return row == kVideoCodecs.end() ? nullptr : &*row;
}

bool isKnownUnrecordedCodec(std::string_view item) {
  return names(kKnownUnrecordedCodecs, item);
}

const ContainerFormat* findContainerByEssence(std::string_view essence) {
  if (essence.empty()) return nullptr;
  const auto row = std::find_if(kContainers.begin(), kContainers.end(), [&](const auto& f) {
    return f.audioEssence == essence || f.videoEssence == essence;
  });
  return row == kContainers.end() ? nullptr : &*row;
}

const ContainerFormat* findContainerByExtension(std::string_view extension) {
  if (extension.empty()) return nullptr;
  const auto row = std::find_if(kContainers.begin(), kContainers.end(), [&](const auto& f) {
    return f.extension == extension || std::find(f.otherExtensions.begin(), f.otherExtensions.end(),
                                                 extension) != f.otherExtensions.end();
  });
  return row == kContainers.end() ? nullptr : &*row;
}

const ContainerFormat* findContainerByDocType(std::string_view docType) {
  if (docType.empty()) return nullptr;
  const auto row = std::find_if(kContainers.begin(), kContainers.end(),
                                [&](const auto& f) { return f.matroskaDocType == docType; });
  return row == kContainers.end() ? nullptr : &*row;
}

}  // namespace mrec::detail
