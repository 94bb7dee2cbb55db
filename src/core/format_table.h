// The one table of the containers and codecs mrec records. Every fact about a format (its
// MIME names, what it may hold, its Matroska mapping, its limits, its file extension, which
// factory builds it) is a field of its row, and every part of mrec reads the rows instead of
// asking `if (codec == ...)`. Adding a container is one writer file and one row; adding a
// codec is one encoder file and one row (docs/formats.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec_profile.h"

namespace mrec::detail {

enum class Container { Ogg, WebM, Matroska, Mp4 };
enum class AudioCodec { Opus, Pcm, Aac };
enum class VideoCodec { Vp8, Vp9, Av1, H264 };

class AudioEncoder;
struct AudioEncoderConfig;
class VideoEncoder;
struct VideoEncoderConfig;
class Muxer;
struct MuxerTrack;
struct ContainerFormat;

/// Each returns null and sets `error` if it cannot be made with that configuration.
using AudioEncoderFactory = std::unique_ptr<AudioEncoder> (*)(const AudioEncoderConfig&,
                                                              std::string& error);
using VideoEncoderFactory = std::unique_ptr<VideoEncoder> (*)(const VideoEncoderConfig&,
                                                              std::string& error);
/// The body of a codec's configuration box in an MP4 sample entry (dOps, vpcC, av1C), from
/// the codec's setup data (its codecPrivate) and, for video, the picture size.
using Mp4AudioConfig = std::vector<uint8_t> (*)(const std::vector<uint8_t>& codecPrivate);
using Mp4VideoConfig = std::vector<uint8_t> (*)(const std::vector<uint8_t>& codecPrivate,
                                                uint32_t width, uint32_t height);
/// Throws std::invalid_argument for tracks the container cannot hold.
/// Called by makeMuxer (containers/muxer.h) only with tracks the row holds.
using MuxerFactory = std::unique_ptr<Muxer> (*)(const ContainerFormat&,
                                                const std::vector<MuxerTrack>&);

struct AudioCodecFormat {
  AudioCodec codec;
  std::string_view name;                  ///< as mimeType() writes it in codecs: "opus"
  std::string_view displayName;           ///< for messages: "Opus"
  std::span<const std::string_view> ids;  ///< what a codecs parameter may name it, lowercase
  std::string_view matroskaCodecId;       ///< "A_OPUS"
  uint32_t maxChannels;                   ///< more is NotSupportedError in start()
  uint32_t matroskaBitDepth;              ///< written in Matroska's Audio element; 0: none
  uint32_t seekPreRollMs;                 ///< what decoders must pre-roll after a seek
  std::string_view mp4SampleEntry;        ///< "Opus"; empty if MP4 cannot hold it
  std::string_view mp4ConfigBox;          ///< "dOps"
  Mp4AudioConfig mp4Config;
  AudioEncoderFactory makeEncoder;  ///< null when this build leaves the codec out
  std::string_view buildOption;     ///< the CMake option that builds it in; empty: always built
  /// Whether this machine can encode it, for an encoder in a library opened at run time (the
  /// reason in `reason` when not); null: whenever it is built in.
  bool (*available)(std::string& reason) = nullptr;
};

struct VideoCodecFormat {
  VideoCodec codec;
  std::string_view name;  ///< "vp8"
  std::span<const std::string_view> ids;
  std::string_view matroskaCodecId;  ///< "V_VP8"
  std::string_view mp4SampleEntry;   ///< "vp09"; empty if MP4 cannot hold it
  std::string_view mp4ConfigBox;     ///< "vpcC"
  Mp4VideoConfig mp4Config;
  VideoEncoderFactory makeEncoder;
  /// The profile and level a codecs= item naming this codec asks for ("avc1.64001F"), or
  /// nullopt with the reason if it cannot be recorded; null: any item that names the codec
  /// can, and the encoder picks.
  std::optional<CodecProfileLevel> (*parseCodecString)(std::string_view item,
                                                       std::string& reason) = nullptr;
};

struct ContainerFormat {
  Container container;
  std::string_view name;          ///< for messages: "WebM"
  std::string_view audioEssence;  ///< the audio-only MIME type; empty if it has none
  std::string_view videoEssence;  ///< the MIME type that may hold video; empty: no video
  std::string_view extension;     ///< of the files mrec writes, no dot: "webm"
  std::span<const std::string_view> otherExtensions;  ///< also recorded as this: "opus"
  std::string_view matroskaDocType;                   ///< "webm", "matroska"; empty: not EBML
  std::span<const AudioCodec> audioCodecs;            ///< the first is the default
  std::span<const VideoCodec> videoCodecs;            ///< the first is the default
  size_t maxTracks;                                   ///< 0: no limit
  bool finishedByMakeSeekable;  ///< makeSeekable changes its files (Ogg seeks as it is)
  /// With video, each timeslice Blob starts at a video key frame the recorder asks for, so
  /// that each Blob's first cluster does (Firefox's MediaSource drops clusters that do not).
  bool blobsStartAtVideoKeyFrames;
  MuxerFactory makeMuxer;

  bool holds(AudioCodec codec) const;
  bool holds(VideoCodec codec) const;
  bool holdsVideo() const { return !videoCodecs.empty(); }
};

/// Whether `codec` can be recorded by this build on this machine; why not in `reason`.
bool canRecord(const AudioCodecFormat& codec, std::string& reason);
/// The container's first audio codec that can be recorded, as a type that names none is
/// recorded with (its first when none can, for start() to refuse).
AudioCodec defaultAudioCodec(const ContainerFormat& container);

const ContainerFormat& formatOf(Container container);
const AudioCodecFormat& formatOf(AudioCodec codec);
const VideoCodecFormat& formatOf(VideoCodec codec);

std::span<const ContainerFormat> containerFormats();
std::span<const AudioCodecFormat> audioCodecFormats();
std::span<const VideoCodecFormat> videoCodecFormats();

/// The codec a codecs-parameter item names: its id, or its id and a profile after a dot
/// ("av01.0.04M.08"); null if no row has it. `item` must be lowercase.
const AudioCodecFormat* findAudioCodec(std::string_view item);
const VideoCodecFormat* findVideoCodec(std::string_view item);
/// Codecs browsers record that this build does not ("h264"), so that a refusal can say so.
bool isKnownUnrecordedCodec(std::string_view item);

/// The container whose audio or video essence is `essence` (lowercase); null if none.
const ContainerFormat* findContainerByEssence(std::string_view essence);
/// The container whose files have this extension (no dot, lowercase); null if none.
const ContainerFormat* findContainerByExtension(std::string_view extension);
/// The container whose Matroska DocType is `docType`; null if none.
const ContainerFormat* findContainerByDocType(std::string_view docType);

}  // namespace mrec::detail
