// Raw media as WebCodecs shapes it: AudioData and VideoFrame, the values a program writes
// into a MediaStreamTrackGenerator and reads from a MediaStreamTrackProcessor.
//
//   mrec::AudioData tone{mrec::AudioSampleFormat::F32, 48000, 960, 1, 0, bytes};
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace mrec {

/// How AudioData::data holds its samples: the sample type, interleaved or one plane per
/// channel (the "Planar" ones).
enum class AudioSampleFormat { U8, S16, S32, F32, U8Planar, S16Planar, S32Planar, F32Planar };
/// A run of audio frames (WebCodecs' AudioData).
struct AudioData {
  AudioSampleFormat format;
  double sampleRate;
  uint32_t numberOfFrames, numberOfChannels;
  int64_t timestamp;          ///< microseconds
  std::vector<uint8_t> data;  ///< interleaved or planar, per format
};

/// How VideoFrame::data holds its pixels: planar I420, semi-planar NV12, or packed RGBA/BGRA.
enum class VideoPixelFormat { I420, NV12, RGBA, BGRA };
/// One picture (WebCodecs' VideoFrame).
struct VideoFrame {
  VideoPixelFormat format;
  uint32_t codedWidth, codedHeight;
  int64_t timestamp;                ///< microseconds
  std::optional<int64_t> duration;  ///< microseconds
  std::vector<uint8_t> data;        ///< planes packed one after another, no padding
};

}  // namespace mrec
