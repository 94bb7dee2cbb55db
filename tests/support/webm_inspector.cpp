#include "support/webm_inspector.h"

#include <utility>

#include <webm/callback.h>
#include <webm/file_reader.h>
#include <webm/webm_parser.h>

#include <cstdio>

namespace mrec::test {

namespace {

class Collector : public webm::Callback {
 public:
  explicit Collector(WebmReport& report) : report_(report) {}

  webm::Status OnEbml(const webm::ElementMetadata&, const webm::Ebml& ebml) override {
    report_.docType = ebml.doc_type.value();
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnInfo(const webm::ElementMetadata&, const webm::Info& info) override {
    report_.timecodeScale = info.timecode_scale.value();
    if (info.duration.is_present()) report_.duration = info.duration.value();
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnTrackEntry(const webm::ElementMetadata&, const webm::TrackEntry& track) override {
    ++report_.tracks;
    WebmTrack entry{track.track_number.value(), static_cast<uint64_t>(track.track_type.value()),
                    track.codec_id.value(), track.codec_private.value()};
    if (track.video.is_present()) {
      entry.pixelWidth = track.video.value().pixel_width.value();
      entry.pixelHeight = track.video.value().pixel_height.value();
    }
    entry.defaultDurationNs = track.default_duration.value();
    report_.trackEntries.push_back(entry);
    if (track.track_type.value() == webm::TrackType::kVideo)
      return webm::Status(webm::Status::kOkCompleted);
    report_.codecId = track.codec_id.value();
    report_.codecPrivate = track.codec_private.value();
    report_.codecDelayNs = track.codec_delay.value();
    report_.seekPreRollNs = track.seek_pre_roll.value();
    report_.samplingFrequency = track.audio.value().sampling_frequency.value();
    report_.channels = track.audio.value().channels.value();
    report_.bitDepth =
        track.audio.value().bit_depth.is_present() ? track.audio.value().bit_depth.value() : 0;
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnSegmentBegin(const webm::ElementMetadata& metadata,
                              webm::Action* action) override {
    segmentDataStart_ = metadata.position + metadata.header_size;
    *action = webm::Action::kRead;
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnSeek(const webm::ElementMetadata&, const webm::Seek& seek) override {
    report_.seeks.emplace_back(static_cast<uint32_t>(seek.id.value()), seek.position.value());
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnCuePoint(const webm::ElementMetadata&, const webm::CuePoint& point) override {
    for (const auto& positions : point.cue_track_positions)
      report_.cues.push_back({point.time.value(), positions.value().track.value(),
                              positions.value().cluster_position.value()});
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnClusterBegin(const webm::ElementMetadata& metadata, const webm::Cluster& cluster,
                              webm::Action* action) override {
    ++report_.clusters;
    report_.clusterPositions.push_back(metadata.position - segmentDataStart_);
    clusterTimecode_ = static_cast<int64_t>(cluster.timecode.value());
    clusterStarted_ = true;
    *action = webm::Action::kRead;
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnSimpleBlockBegin(const webm::ElementMetadata&, const webm::SimpleBlock& block,
                                  webm::Action* action) override {
    report_.blocks.push_back({clusterTimecode_ + block.timecode,
                              true,
                              block.is_key_frame,
                              {},
                              block.track_number,
                              std::exchange(clusterStarted_, false)});
    *action = webm::Action::kRead;
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnBlockBegin(const webm::ElementMetadata&, const webm::Block& block,
                            webm::Action* action) override {
    report_.blocks.push_back({clusterTimecode_ + block.timecode,
                              false,
                              false,
                              {},
                              block.track_number,
                              std::exchange(clusterStarted_, false)});
    *action = webm::Action::kRead;
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnBlockGroupEnd(const webm::ElementMetadata&,
                               const webm::BlockGroup& group) override {
    if (report_.blocks.empty()) return webm::Status(webm::Status::kOkCompleted);
    WebmBlock& block = report_.blocks.back();
    if (group.discard_padding.is_present()) block.discardPaddingNs = group.discard_padding.value();
    if (group.duration.is_present()) block.durationTicks = group.duration.value();
    block.key = group.references.empty();
    return webm::Status(webm::Status::kOkCompleted);
  }

 private:
  WebmReport& report_;
  int64_t clusterTimecode_ = 0;
  bool clusterStarted_ = false;
  uint64_t segmentDataStart_ = 0;
};

}  // namespace

WebmReport inspectWebm(const std::filesystem::path& path) {
  WebmReport report;
  FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    report.parseStatus = "cannot open";
    return report;
  }
  webm::FileReader reader(file);
  Collector collector(report);
  webm::WebmParser parser;
  const webm::Status status = parser.Feed(&collector, &reader);
  report.parsed = status.completed_ok();
  report.parseStatus = "status " + std::to_string(status.code);
  return report;
}

}  // namespace mrec::test
