// Independent checks of what was recorded: ffmpeg, ffprobe, opusinfo, sox, run as processes.
#pragma once

#include <mrec/blob.h>

#include <filesystem>
#include <string>
#include <vector>

namespace mrec::test {

struct CommandResult {
  int status = -1;
  std::string output;  ///< stdout and stderr
};
CommandResult runCommand(const std::string& command);

/// A directory removed at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void writeFile(const std::filesystem::path& path, const Blob& blob);
void writeFile(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);
/// The file's bytes (empty if it cannot be read).
std::vector<uint8_t> readFile(const std::filesystem::path& path);

/// Decodes with ffmpeg to mono 48 kHz float samples; `error` gets ffmpeg's complaints.
std::vector<float> decodeMono(const std::filesystem::path& path, std::string* error = nullptr,
                              int sampleRate = 48000);
/// Decodes to interleaved float at the file's own rate and channel count.
std::vector<float> decodeNative(const std::filesystem::path& path, int channels, int sampleRate);

/// ffmpeg decoding every stream of the file to its null muxer, printing what it finds wrong
/// at `level` ("error", "warning"). The null muxer gets the demuxer's time base: with
/// ffmpeg's default (1/frame rate) two frames of a variable-rate stream can land on one tick
/// and ffmpeg complains of its own output, as it does for Chromium's recordings.
CommandResult decodeAll(const std::filesystem::path& path, const std::string& level = "error");

/// ffprobe's value of `entry` (e.g. "format=duration", "stream=codec_name").
std::string ffprobe(const std::filesystem::path& path, const std::string& entry);

/// ffprobe's `entries` (e.g. "stream=width,height") of the streams `select` picks ("v", "a"),
/// as csv lines without a trailing separator.
std::string ffprobeStreams(const std::filesystem::path& path, const std::string& select,
                           const std::string& entries);
/// Where the last packet of the streams `select` picks ends, in seconds (0 if packets carry
/// no duration).
double streamEnd(const std::filesystem::path& path, const std::string& select);
/// The Blobs after the first whose first video frame is not a key frame, by index, for the
/// file that `blobSizes` bytes make in order (ffprobe's packet positions and flags).
std::vector<size_t> blobsNotStartingWithAVideoKeyFrame(const std::filesystem::path& path,
                                                       const std::vector<uint64_t>& blobSizes);
/// GStreamer's reading of the file (gst-discoverer-1.0): its duration in seconds, or a
/// negative value if it found none; what it said goes to `output`.
double discoveredSeconds(const std::filesystem::path& path, std::string* output = nullptr);
/// The key-frame flag of every video frame, in order (ffprobe -show_frames).
std::vector<bool> videoKeyFrames(const std::filesystem::path& path);
/// Video frame `index` decoded to RGB24 at its own size; -1 is the last frame.
std::vector<uint8_t> decodeFrameRgb(const std::filesystem::path& path, int index);

/// The frequency of a tone by counting rising zero crossings, in Hz.
double zeroCrossingFrequency(const std::vector<float>& samples, int sampleRate);
/// The frequency of the median cycle, in Hz: a rising crossing counts only after the signal has
/// swung below -threshold, so a stretch of near-silence (a player that underran, not the code
/// under test) adds no noise crossings, and the one long cycle across it is not the median.
double medianCycleFrequency(const std::vector<float>& samples, int sampleRate,
                            float threshold = 0.05f);
/// Runs of at least minimumLength samples all below threshold in magnitude: gaps in a tone.
int silentGaps(const std::vector<float>& samples, size_t minimumLength, float threshold = 0.01f);
/// The largest absolute sample value.
float peak(const std::vector<float>& samples);

}  // namespace mrec::test
