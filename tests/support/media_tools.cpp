#include "support/media_tools.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace mrec::test {

CommandResult decodeAll(const std::filesystem::path& path, const std::string& level) {
  return runCommand("ffmpeg -nostdin -v " + level + " -i '" + path.string() +
                    "' -enc_time_base:v -1 -f null -");
}

CommandResult runCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() / ("mrec-test-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void writeFile(const std::filesystem::path& path, const Blob& blob) {
  std::ofstream out(path, std::ios::binary);
  blob.writeTo(out);
}

void writeFile(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

namespace {
std::vector<float> readFloats(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> samples(bytes.size() / sizeof(float));
  if (!samples.empty()) std::memcpy(samples.data(), bytes.data(), samples.size() * sizeof(float));
  return samples;
}
}  // namespace

std::vector<float> decodeMono(const std::filesystem::path& path, std::string* error,
                              int sampleRate) {
  const auto raw = path.string() + ".f32";
  const auto result =
      runCommand("ffmpeg -nostdin -v error -y -i '" + path.string() + "' -f f32le -ac 1 -ar " +
                 std::to_string(sampleRate) + " '" + raw + "'");
  if (error)
    *error = result.status == 0 ? result.output
                                : "exit " + std::to_string(result.status) + ": " + result.output;
  auto samples = readFloats(raw);
  std::filesystem::remove(raw);
  return samples;
}

std::vector<float> decodeNative(const std::filesystem::path& path, int channels, int sampleRate) {
  const auto raw = path.string() + ".f32";
  runCommand("ffmpeg -nostdin -v error -y -i '" + path.string() + "' -f f32le -ac " +
             std::to_string(channels) + " -ar " + std::to_string(sampleRate) + " '" + raw + "'");
  auto samples = readFloats(raw);
  std::filesystem::remove(raw);
  return samples;
}

std::string ffprobe(const std::filesystem::path& path, const std::string& entry) {
  auto result = runCommand("ffprobe -v error -show_entries " + entry +
                           " -of default=noprint_wrappers=1:nokey=1 '" + path.string() + "'");
  while (!result.output.empty() && (result.output.back() == '\n' || result.output.back() == '\r'))
    result.output.pop_back();
  return result.output;
}

std::string ffprobeStreams(const std::filesystem::path& path, const std::string& select,
                           const std::string& entries) {
  auto out = runCommand("ffprobe -v error -select_streams " + select + " -show_entries " + entries +
                        " -of csv=p=0 '" + path.string() + "'")
                 .output;
  while (!out.empty() && (out.back() == '\n' || out.back() == ',')) out.pop_back();
  return out;
}

double streamEnd(const std::filesystem::path& path, const std::string& select) {
  std::istringstream lines(ffprobeStreams(path, select, "packet=pts_time,duration_time"));
  std::string line;
  double end = 0;
  while (std::getline(lines, line)) {
    double pts = 0, duration = 0;
    if (std::sscanf(line.c_str(), "%lf,%lf", &pts, &duration) == 2)
      end = std::max(end, pts + duration);
  }
  return end;
}

std::vector<size_t> blobsNotStartingWithAVideoKeyFrame(const std::filesystem::path& path,
                                                       const std::vector<uint64_t>& blobSizes) {
  std::istringstream packets(ffprobeStreams(path, "v", "packet=pos,flags"));
  std::vector<std::pair<uint64_t, bool>> frames;  // where each frame's bytes are, key or not
  for (std::string line; std::getline(packets, line);) {
    const auto comma = line.find(',');
    frames.emplace_back(std::stoull(line.substr(0, comma)),
                        line.find('K', comma) != std::string::npos);
  }
  std::vector<size_t> without;
  uint64_t blobStart = blobSizes.empty() ? 0 : blobSizes[0];
  for (size_t i = 1; i < blobSizes.size(); ++i) {
    const auto first = std::find_if(frames.begin(), frames.end(),
                                    [&](const auto& frame) { return frame.first >= blobStart; });
    if (first != frames.end() && !first->second) without.push_back(i);
    blobStart += blobSizes[i];
  }
  return without;
}

double discoveredSeconds(const std::filesystem::path& path, std::string* output) {
  const auto result = runCommand("gst-discoverer-1.0 '" + path.string() + "' 2>&1");
  if (output) *output = result.output;
  std::smatch match;
  static const std::regex kDuration(R"(Duration: (\d+):(\d+):(\d+\.\d+))");
  if (result.status != 0 || !std::regex_search(result.output, match, kDuration)) return -1;
  return std::stod(match[1]) * 3600 + std::stod(match[2]) * 60 + std::stod(match[3]);
}

std::vector<bool> videoKeyFrames(const std::filesystem::path& path) {
  std::vector<bool> keys;
  for (char c : ffprobeStreams(path, "v", "frame=key_frame"))
    if (c == '0' || c == '1') keys.push_back(c == '1');
  return keys;
}

std::vector<uint8_t> decodeFrameRgb(const std::filesystem::path& path, int index) {
  if (index < 0) index += static_cast<int>(videoKeyFrames(path).size());
  const auto out = path.parent_path() / (path.stem().string() + ".frame.rgb");
  runCommand("ffmpeg -nostdin -v error -y -i '" + path.string() + "' -vf 'select=eq(n\\," +
             std::to_string(index) + ")' -frames:v 1 -f rawvideo -pix_fmt rgb24 '" + out.string() +
             "'");
  return readFile(out);
}

double zeroCrossingFrequency(const std::vector<float>& samples, int sampleRate) {
  // Crossings are interpolated between samples, so the estimate is far finer than 1 Hz.
  double first = -1, last = -1;
  long crossings = 0;
  for (size_t i = 1; i < samples.size(); ++i) {
    if (samples[i - 1] < 0 && samples[i] >= 0) {
      const double t = double(i - 1) + samples[i - 1] / double(samples[i - 1] - samples[i]);
      if (first < 0) first = t;
      last = t;
      ++crossings;
    }
  }
  if (crossings < 2) return 0;
  return double(crossings - 1) * sampleRate / (last - first);
}

double medianCycleFrequency(const std::vector<float>& samples, int sampleRate, float threshold) {
  std::vector<double> periods;
  bool armed = false;
  double previous = -1;
  for (size_t i = 1; i < samples.size(); ++i) {
    if (samples[i] < -threshold) armed = true;
    if (armed && samples[i - 1] < 0 && samples[i] >= 0) {
      const double t = double(i - 1) + samples[i - 1] / double(samples[i - 1] - samples[i]);
      if (previous >= 0) periods.push_back(t - previous);
      previous = t;
      armed = false;
    }
  }
  if (periods.empty()) return 0;
  std::nth_element(periods.begin(), periods.begin() + long(periods.size() / 2), periods.end());
  return sampleRate / periods[periods.size() / 2];
}

int silentGaps(const std::vector<float>& samples, size_t minimumLength, float threshold) {
  int gaps = 0;
  size_t run = 0;
  for (float s : samples) {
    run = std::fabs(s) < threshold ? run + 1 : 0;
    if (run == minimumLength) ++gaps;
  }
  return gaps;
}

float peak(const std::vector<float>& samples) {
  float p = 0;
  for (float s : samples) p = std::max(p, std::fabs(s));
  return p;
}

}  // namespace mrec::test
