// Sources of media made by the program: a tone, a media file, and raw media it pushes
// (the AudioData and VideoFrame of <mrec/media_data.h>).
//
//   // ten minutes of 440 Hz, rendered as fast as the recorder encodes it
//   auto tone = mrec::createToneTrack({.durationSeconds = 600, .realtime = false});
//
//   auto file = mrec::openMediaFile("speech.wav", {.realtime = false});
//
//   auto pattern = mrec::createTestPatternTrack({.width = 640, .height = 480, .frameRate = 30});
//
//   auto generator = mrec::MediaStreamTrackGenerator::create("audio");
//   generator->write(mrec::AudioData{mrec::AudioSampleFormat::F32, 48000, 960, 1, 0, bytes});
//   generator->close();
//
// `realtime = true` paces media by the wall clock, like a device. `realtime = false` makes
// media as fast as the recorders of the track consume it (offline rendering): production
// waits until a recorder is attached and blocks while its queue is full, so nothing is lost.
// A source with a duration ends its track (firing 'ended') when the duration is reached.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mrec/media_data.h"
#include "mrec/media_stream.h"

namespace mrec {

struct ToneOptions {
  double frequency = 440;
  double amplitude = 0.5;
  uint32_t sampleRate = 48000;
  uint32_t channelCount = 1;
  std::optional<double> durationSeconds;
  bool realtime = true;
};
/// A sine tone. TypeError for a sample rate outside 8000–384000, 0 or more than 8 channels,
/// a negative duration, or a frequency/amplitude that is not finite.
std::shared_ptr<MediaStreamTrack> createToneTrack(const ToneOptions& options = {});

struct TestPatternOptions {
  uint32_t width = 640, height = 480;
  double frameRate = 30;
  std::optional<double> durationSeconds;
  bool realtime = true;
};
/// A moving test picture (a video track; the counterpart of canvas.captureStream()).
/// TypeError for a size outside 1–16384 pixels a side, a frame rate outside (0, 1000], or a
/// negative duration.
std::shared_ptr<MediaStreamTrack> createTestPatternTrack(const TestPatternOptions& options = {});

struct MediaFileOptions {
  bool realtime = true;
};
/// A stream with the file's audio track. Reads WAV (RIFF/RF64 is not read): PCM 8/16/24/32-bit,
/// IEEE float 32/64, any rate, any channel count. Throws NotFoundError if the file cannot be
/// opened, EncodingError if it is not a well-formed WAV file, NotSupportedError for an
/// encoding it cannot decode. The track ends at the end of the file.
std::shared_ptr<MediaStream> openMediaFile(const std::filesystem::path& path,
                                           const MediaFileOptions& options = {});

/// A track whose media the program writes (mediacapture-transform's generator).
class MediaStreamTrackGenerator : public MediaStreamTrack {
 public:
  /// kind "audio" or "video"; anything else is a TypeError.
  static std::shared_ptr<MediaStreamTrackGenerator> create(std::string kind);
  ~MediaStreamTrackGenerator() override;

  /// TypeError if the kind or the data layout is wrong (size, rate, channels) or the
  /// generator is closed. Blocks while a recorder's queue is full; never drops media.
  /// The audio is the consecutive continuation of what was written before: timestamps
  /// are not used to insert gaps. Media written while no recorder of the track is
  /// recording is not recorded, as with a live device.
  void write(const AudioData& data);
  /// TypeError if the kind or the frame layout is wrong or the generator is closed.
  void write(const VideoFrame& frame);
  /// The same, taking the frame's bytes over: an I420 frame is then not copied.
  void write(VideoFrame&& frame);
  /// Ends the track and fires 'ended'. Idempotent.
  void close();

 private:
  explicit MediaStreamTrackGenerator(std::shared_ptr<detail::TrackState> state);
  friend struct detail::Access;
};

}  // namespace mrec
