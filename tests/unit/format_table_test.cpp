// The format table: every row is reachable by every name it claims, no name claims two rows,
// every factory builds what its row says, and the recorder's type check agrees with the rows.
#include <gtest/gtest.h>
#include <mrec/formats.h>
#include <mrec/media_recorder.h>

#include <set>
#include <stdexcept>

#include "codecs/audio_encoder.h"
#include "codecs/video_encoder.h"
#include "containers/muxer.h"
#include "core/format_table.h"
#include "recorder/mime_type.h"

namespace mrec::detail {
namespace {

MuxerTrack audioTrack(AudioCodec codec) {
  return {AudioTrackInfo{codec, 48000, 2, 0, {}}, std::nullopt};
}

MuxerTrack videoTrack(VideoCodec codec) {
  return {std::nullopt, VideoTrackInfo{codec, 64, 48, {}, 0}};
}

TEST(FormatTable, EachRowIsFoundByItsEnumeratorAndEveryNameItClaims) {
  for (const ContainerFormat& row : containerFormats()) {
    EXPECT_EQ(&formatOf(row.container), &row);
    for (const std::string_view essence : {row.audioEssence, row.videoEssence})
      if (!essence.empty()) {
        EXPECT_EQ(findContainerByEssence(essence), &row) << essence;
      }
    EXPECT_EQ(findContainerByExtension(row.extension), &row);
    for (const std::string_view other : row.otherExtensions)
      EXPECT_EQ(findContainerByExtension(other), &row) << other;
    if (!row.matroskaDocType.empty()) {
      EXPECT_EQ(findContainerByDocType(row.matroskaDocType), &row);
    }
  }
  for (const AudioCodecFormat& row : audioCodecFormats()) {
    EXPECT_EQ(&formatOf(row.codec), &row);
    for (const std::string_view id : row.ids) EXPECT_EQ(findAudioCodec(id), &row) << id;
  }
  for (const VideoCodecFormat& row : videoCodecFormats()) {
    EXPECT_EQ(&formatOf(row.codec), &row);
    for (const std::string_view id : row.ids) EXPECT_EQ(findVideoCodec(id), &row) << id;
  }
}

TEST(FormatTable, NoNameBelongsToTwoRows) {
  std::set<std::string_view> codecIds, essences, extensions;
  for (const auto& row : audioCodecFormats())
    for (const auto id : row.ids) EXPECT_TRUE(codecIds.insert(id).second) << id;
  for (const auto& row : videoCodecFormats())
    for (const auto id : row.ids) EXPECT_TRUE(codecIds.insert(id).second) << id;
  for (const auto& row : containerFormats()) {
    for (const auto essence : {row.audioEssence, row.videoEssence})
      if (!essence.empty()) {
        EXPECT_TRUE(essences.insert(essence).second) << essence;
      }
    EXPECT_TRUE(extensions.insert(row.extension).second) << row.extension;
    for (const auto other : row.otherExtensions)
      EXPECT_TRUE(extensions.insert(other).second) << other;
  }
}

TEST(FormatTable, ACodecIdMayCarryAProfileAfterADot) {
  EXPECT_EQ(findVideoCodec("vp09.00.10.08")->codec, VideoCodec::Vp9);
  EXPECT_EQ(findVideoCodec("av01.0.04m.08")->codec, VideoCodec::Av1);
  EXPECT_EQ(findAudioCodec("opus")->codec, AudioCodec::Opus);
  EXPECT_EQ(findVideoCodec("vp8x"), nullptr) << "a longer name is another codec";
  EXPECT_EQ(findVideoCodec("vp"), nullptr);
  EXPECT_EQ(findAudioCodec(""), nullptr);
  EXPECT_EQ(findVideoCodec("avc1.42e01e")->codec, VideoCodec::H264);
  EXPECT_TRUE(isKnownUnrecordedCodec("hev1.1.6.l93.b0"));
}

TEST(FormatTable, ACodecLeftOutOfTheBuildIsHeldByNoContainerAndNamesItsOption) {
  for (const AudioCodecFormat& row : audioCodecFormats()) {
    if (row.makeEncoder) continue;
    EXPECT_FALSE(row.buildOption.empty()) << row.name;
    for (const ContainerFormat& container : containerFormats())
      EXPECT_FALSE(container.holds(row.codec)) << container.name << " " << row.name;
    const auto check = checkType("audio/mp4;codecs=" + std::string(row.ids.front()));
    EXPECT_FALSE(check.supported);
    EXPECT_NE(check.reason.find(row.buildOption), std::string::npos) << check.reason;
  }
}

TEST(FormatTable, EveryContainerHoldsAudioAndItsVideoRowsAgreeWithItsEssences) {
  for (const ContainerFormat& row : containerFormats()) {
    EXPECT_FALSE(row.audioCodecs.empty()) << row.name;
    EXPECT_FALSE(row.extension.empty()) << row.name;
    EXPECT_EQ(row.holdsVideo(), !row.videoEssence.empty()) << row.name;
    EXPECT_FALSE(row.audioEssence.empty() && row.videoEssence.empty()) << row.name;
  }
}

TEST(FormatTable, EveryEncoderFactoryBuildsItsCodec) {
  std::string error;
  for (const AudioCodecFormat& row : audioCodecFormats()) {
    if (!row.makeEncoder) continue;  // left out of this build
    AudioEncoderConfig config;
    config.codec = row.codec;
    config.channels = 2;
    EXPECT_TRUE(makeAudioEncoder(config, error)) << row.name << ": " << error;
    config.channels = row.maxChannels + 1;
    EXPECT_FALSE(makeAudioEncoder(config, error)) << row.name << " refuses more channels";
  }
  for (const VideoCodecFormat& row : videoCodecFormats()) {
    VideoEncoderConfig config;
    config.codec = row.codec;
    config.width = 64;
    config.height = 48;
    EXPECT_TRUE(makeVideoEncoder(config, error)) << row.name << ": " << error;
  }
}

TEST(FormatTable, EachWriterTakesExactlyTheCodecsItsRowHolds) {
  std::string error;
  for (const ContainerFormat& row : containerFormats()) {
    for (const AudioCodecFormat& codec : audioCodecFormats()) {
      error.clear();
      const auto muxer = makeMuxer(row.container, {audioTrack(codec.codec)}, error);
      if (row.holds(codec.codec)) {
        EXPECT_TRUE(muxer) << row.name << ": " << error;
      } else {
        EXPECT_FALSE(muxer) << row.name << " " << codec.name;
        EXPECT_EQ(error, std::string(row.name) + " cannot hold " + std::string(codec.name));
      }
    }
    for (const VideoCodecFormat& codec : videoCodecFormats()) {
      const std::vector<MuxerTrack> tracks{videoTrack(codec.codec), audioTrack(AudioCodec::Opus)};
      error.clear();
      const auto muxer = makeMuxer(row.container, tracks, error);
      if (row.holds(codec.codec)) {
        EXPECT_TRUE(muxer) << row.name << ": " << error;
      } else {
        EXPECT_FALSE(muxer) << row.name << " " << codec.name;
        EXPECT_FALSE(error.empty());
      }
    }
  }
}

TEST(FormatTable, AWriterRefusesMoreTracksThanItsRowHoldsAndNone) {
  std::string error;
  EXPECT_FALSE(makeMuxer(Container::Ogg,
                         {audioTrack(AudioCodec::Opus), audioTrack(AudioCodec::Opus)}, error));
  EXPECT_EQ(error, "Ogg holds at most 1 track");
  for (const ContainerFormat& row : containerFormats()) {
    EXPECT_FALSE(makeMuxer(row.container, std::vector<MuxerTrack>{}, error)) << row.name;
    EXPECT_EQ(error, std::string(row.name) + " needs at least one track");
  }
  const std::vector<MuxerTrack> many(127, audioTrack(AudioCodec::Opus));
  EXPECT_FALSE(makeMuxer(Container::WebM, many, error));
  EXPECT_EQ(error, "WebM holds at most 126 tracks");
  EXPECT_TRUE(makeMuxer(Container::WebM, {many.begin(), many.begin() + 126}, error)) << error;
}

TEST(FormatTable, TheWebmWriterWritesTheRowsDocTypeAndCodecIds) {
  for (const Container container : {Container::WebM, Container::Matroska}) {
    const ContainerFormat& row = formatOf(container);
    std::vector<uint8_t> header;
    std::string error;
    makeMuxer(container, {videoTrack(VideoCodec::Vp9), audioTrack(AudioCodec::Pcm)}, error)
        ->writeHeader(header);
    const std::string bytes(header.begin(), header.end());
    EXPECT_NE(bytes.find(row.matroskaDocType), std::string::npos) << row.name;
    EXPECT_NE(bytes.find(formatOf(VideoCodec::Vp9).matroskaCodecId), std::string::npos);
    EXPECT_NE(bytes.find(formatOf(AudioCodec::Pcm).matroskaCodecId), std::string::npos);
  }
}

TEST(FormatTable, TheTypeCheckAcceptsEveryListedTypeAndRefusesEveryPairARowLacks) {
  const auto types = recordableTypes();
  EXPECT_GE(types.size(), 20u);
  for (const std::string& type : types) {
    const TypeCheck check = checkType(type);
    EXPECT_TRUE(check.supported) << type << ": " << check.reason;
  }
  for (const ContainerFormat& row : containerFormats()) {
    for (const std::string_view essence : {row.audioEssence, row.videoEssence}) {
      if (essence.empty()) continue;
      const bool video = essence == row.videoEssence;
      for (const AudioCodecFormat& codec : audioCodecFormats())
        EXPECT_EQ(checkType(std::string(essence) + ";codecs=" + std::string(codec.name)).supported,
                  row.holds(codec.codec))
            << essence << " " << codec.name;
      for (const VideoCodecFormat& codec : videoCodecFormats())
        EXPECT_EQ(checkType(std::string(essence) + ";codecs=" + std::string(codec.name)).supported,
                  video && row.holds(codec.codec))
            << essence << " " << codec.name;
    }
  }
}

}  // namespace
}  // namespace mrec::detail

namespace mrec {
namespace {

TEST(PublicFormats, ContainerForTypeNamesTheRowsExtensionAndWhetherFinishingApplies) {
  const auto webm = containerForType("audio/webm;codecs=opus");
  ASSERT_TRUE(webm);
  EXPECT_EQ(webm->name, "WebM");
  EXPECT_EQ(webm->extension, "webm");
  EXPECT_EQ(webm->mimeTypes, (std::vector<std::string>{"audio/webm", "video/webm"}));
  EXPECT_TRUE(webm->finishedByMakeSeekable);
  const auto ogg = containerForType("audio/ogg");
  ASSERT_TRUE(ogg);
  EXPECT_EQ(ogg->extension, "ogg");
  EXPECT_FALSE(ogg->finishedByMakeSeekable) << "Ogg seeks as it is";
  EXPECT_EQ(containerForType("video/x-matroska;codecs=av1,pcm")->extension, "mkv");
  EXPECT_FALSE(containerForType("audio/ogg;codecs=pcm")) << "a type the recorder refuses";
  EXPECT_FALSE(containerForType(""));
  EXPECT_FALSE(containerForType("audio/wav"));
}

TEST(PublicFormats, TypeForFileNameReadsTheExtension) {
  EXPECT_EQ(typeForFileName("clip.webm", false), "audio/webm");
  EXPECT_EQ(typeForFileName("clip.webm", true), "video/webm");
  EXPECT_EQ(typeForFileName("/tmp/x/Clip.MKV", false), "video/x-matroska");
  EXPECT_EQ(typeForFileName("clip.mka", false), "video/x-matroska");
  EXPECT_EQ(typeForFileName("clip.opus", false), "audio/ogg");
  EXPECT_EQ(typeForFileName("clip.ogg", true), "audio/ogg") << "start() explains the mistake";
  EXPECT_EQ(typeForFileName("clip.txt", false), "");
  EXPECT_EQ(typeForFileName("clip", true), "");
  for (const auto& container : recordableContainers())
    EXPECT_TRUE(MediaRecorder::isTypeSupported(typeForFileName("x." + container.extension, false)))
        << container.name;
}

TEST(PublicFormats, RecordableTypesAreExactlyWhatIsTypeSupportedAccepts) {
  const auto types = recordableTypes();
  for (const auto& type : types) EXPECT_TRUE(MediaRecorder::isTypeSupported(type)) << type;
  const std::set<std::string> listed(types.begin(), types.end());
  EXPECT_EQ(listed.size(), types.size()) << "no type listed twice";
  for (const char* type : {"audio/ogg;codecs=opus", "video/webm;codecs=vp8,opus",
                           "video/x-matroska;codecs=av1,pcm", "audio/webm;codecs=pcm"})
    EXPECT_TRUE(listed.count(type)) << type;
  for (const char* type : {"audio/ogg;codecs=pcm", "audio/webm;codecs=vp8", "audio/mp4;codecs=pcm"})
    EXPECT_FALSE(listed.count(type)) << type;
  EXPECT_EQ(recordableContainers().front().name, "Ogg") << "the default for audio first";
}

}  // namespace
}  // namespace mrec
