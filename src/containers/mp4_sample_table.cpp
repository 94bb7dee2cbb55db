#include "containers/mp4_movie.h"

namespace mrec::detail::mp4 {

void SampleTable::add(const Sample& sample) {
  if (!sizes_.empty()) {
    if (!durationRuns_.empty() && durationRuns_.back().duration == lastDuration_)
      ++durationRuns_.back().count;
    else
      durationRuns_.push_back({1, lastDuration_});
  }
  if (!sample.sync && allSync_) {
    // Until now every sample was one: they are listed from here on.
    allSync_ = false;
    syncSamples_.reserve(sizes_.size() + 1);
    for (size_t i = 1; i <= sizes_.size(); ++i) syncSamples_.push_back(static_cast<uint32_t>(i));
  }
  sizes_.push_back(sample.size);
  if (!allSync_ && sample.sync) syncSamples_.push_back(static_cast<uint32_t>(sizes_.size()));
  lastDuration_ = sample.duration;
  totalDuration_ += sample.duration;
  if (chunks_.empty() || sample.offset != chunkEnd_)
    chunks_.push_back({sample.offset, 1});
  else
    ++chunks_.back().samples;
  chunkEnd_ = sample.offset + sample.size;
}

void SampleTable::setLastDuration(uint32_t duration) {
  totalDuration_ = totalDuration_ - lastDuration_ + duration;
  lastDuration_ = duration;
}

std::vector<SampleTable::DurationRun> SampleTable::durationRuns() const {
  std::vector<DurationRun> runs = durationRuns_;
  if (sizes_.empty()) return runs;
  if (!runs.empty() && runs.back().duration == lastDuration_)
    ++runs.back().count;
  else
    runs.push_back({1, lastDuration_});
  return runs;
}

size_t SampleTable::indexBytes() const {
  // stsz an entry each, stts a run each, stss a number each, stsc and co64 at most 20 bytes a
  // chunk.
  return 4 * sizes_.size() + 8 * (durationRuns_.size() + 1) + 4 * syncSamples_.size() +
         20 * chunks_.size();
}

}  // namespace mrec::detail::mp4
