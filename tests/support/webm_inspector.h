// What Debian's libwebm parser sees in a WebM/Matroska file: an independent structural check.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mrec::test {

struct WebmBlock {
  int64_t timecodeMs = 0;  ///< cluster timecode + relative block timecode
  bool simple = true;      ///< SimpleBlock (true) or Block in a BlockGroup
  bool key = false;        ///< a BlockGroup's Block: when the group has no ReferenceBlock
  std::optional<int64_t> discardPaddingNs;
  uint64_t track = 0;
  bool firstInCluster = false;
  std::optional<uint64_t> durationTicks;  ///< a BlockGroup's BlockDuration
};

struct WebmTrack {
  uint64_t number = 0, type = 0;  ///< type 1 video, 2 audio
  std::string codecId;
  std::vector<uint8_t> codecPrivate;
  uint64_t pixelWidth = 0, pixelHeight = 0;
  uint64_t defaultDurationNs = 0;
};

struct WebmReport {
  bool parsed = false;
  std::string parseStatus;
  std::string docType;
  uint64_t timecodeScale = 0;
  std::string codecId;
  std::vector<uint8_t> codecPrivate;
  uint64_t codecDelayNs = 0;
  uint64_t seekPreRollNs = 0;
  double samplingFrequency = 0;
  uint64_t channels = 0;
  uint64_t bitDepth = 0;
  int tracks = 0;
  std::vector<WebmTrack> trackEntries;
  int clusters = 0;
  std::vector<WebmBlock> blocks;
  std::optional<double> duration;  ///< Info's Duration, in TimecodeScale units
  struct Cue {
    uint64_t time, track, clusterPosition;
  };
  std::vector<Cue> cues;
  std::vector<std::pair<uint32_t, uint64_t>> seeks;  ///< SeekHead: element id, position
  std::vector<uint64_t> clusterPositions;            ///< from the Segment's data start
};

WebmReport inspectWebm(const std::filesystem::path& path);

}  // namespace mrec::test
