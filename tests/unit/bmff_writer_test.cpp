// The ISO BMFF writer, bytes in and bytes out: big-endian fields, nested boxes whose sizes
// are filled in as they close, full-box headers, patched fields.
#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>

#include "containers/bmff_writer.h"
#include "containers/mp4_movie.h"

namespace mrec::detail {
namespace {

using Bytes = std::vector<uint8_t>;

// Where the four-character box type first appears in `bytes` (end() if nowhere).
Bytes::const_iterator findType(const Bytes& bytes, std::string_view type) {
  return std::search(bytes.begin(), bytes.end(), type.begin(), type.end());
}

TEST(BmffWriter, WritesFieldsBigEndian) {
  Bytes out;
  bmff::Writer w(out);
  w.u8(0x01);
  w.u16(0x0203);
  w.u24(0x040506);
  w.u32(0x0708090A);
  w.u64(0x0B0C0D0E0F101112);
  w.fourcc("abcd");
  w.zeros(2);
  EXPECT_EQ(out, (Bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C,
                        0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 'a',  'b',  'c',  'd',  0,    0}));
  EXPECT_THROW(w.fourcc("abc"), std::logic_error);
}

TEST(BmffWriter, NestedBoxesGetTheirSizesWhenTheyClose) {
  Bytes out;
  bmff::Writer w(out);
  {
    bmff::Box outer(w, "moov");
    {
      bmff::Box inner(w, "mvhd", 1, 0x000003);
      w.u16(0xBEEF);
    }
    bmff::Box empty(w, "free");
  }
  EXPECT_EQ(out, (Bytes{0, 0, 0, 30, 'm', 'o', 'o', 'v',                          // 8 + 14 + 8
                        0, 0, 0, 14, 'm', 'v', 'h', 'd', 1, 0, 0, 3, 0xBE, 0xEF,  //
                        0, 0, 0, 8,  'f', 'r', 'e', 'e'}));
  EXPECT_THROW(w.close(), std::logic_error) << "no box is open";
}

TEST(BmffWriter, PatchesAFieldWrittenBeforeItsValueWasKnown) {
  Bytes out;
  bmff::Writer w(out);
  w.u32(0);
  w.u32(0xFFFFFFFF);
  w.patchU32(0, 0x11223344);
  EXPECT_EQ(out, (Bytes{0x11, 0x22, 0x33, 0x44, 0xFF, 0xFF, 0xFF, 0xFF}));
}

TEST(Mp4Movie, TheFileTypeNamesIsoBrandsForFragmentsWithMoofRelativeOffsets) {
  Bytes out;
  bmff::Writer w(out);
  mp4::writeFileType(w);
  const std::string text(out.begin(), out.end());
  EXPECT_EQ(text.substr(4, 8), std::string("ftypisom"));
  EXPECT_NE(text.find("iso6"), std::string::npos) << "tfdt and default-base-is-moof";
  EXPECT_EQ(out.size(), 8u + 8u + 4u * 4u);
}

// A finished movie's tables: durations run-length coded, sync samples listed only when some
// sample is not one, samples that lie one after another in one chunk.
TEST(Mp4Movie, AFinishedTrackIndexesEverySample) {
  mp4::Track track;
  track.video = true;
  track.timescale = 1000;
  track.width = 64;
  track.height = 48;
  Bytes entry;
  {
    bmff::Writer e(entry);
    bmff::Box box(e, "vp09");
  }
  track.sampleEntry = entry;
  for (const mp4::Sample& sample :
       {mp4::Sample{100, 10, 40, true}, {110, 5, 40, false}, {300, 7, 20, true}})
    track.samples.add(sample);
  track.mediaDuration = 100;
  track.presentedDuration = 100;
  Bytes out;
  bmff::Writer w(out);
  mp4::writeMovie(w, mp4::Movie{{track}, false});
  auto find = [&](const char* type) {
    const auto at = std::search(out.begin(), out.end(), type, type + 4);
    EXPECT_NE(at, out.end()) << type;
    return Bytes(at + 4, std::min(out.end(), at + 4 + 28));
  };
  auto first = [](const Bytes& bytes, size_t count) {
    return Bytes(bytes.begin(), bytes.begin() + long(std::min(count, bytes.size())));
  };
  EXPECT_EQ(findType(out, "mvex"), out.end());
  EXPECT_EQ(findType(out, "edts"), out.end()) << "nothing to edit";
  // stts: 2 runs: 2 x 40, 1 x 20.
  EXPECT_EQ(first(find("stts"), 24),
            (Bytes{0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 20}));
  // stss: samples 1 and 3.
  EXPECT_EQ(first(find("stss"), 16), (Bytes{0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3}));
  // stsc: chunk 1 holds 2 samples, chunk 2 holds 1; stco: offsets 100 and 300.
  EXPECT_EQ(first(find("stsc"), 28), (Bytes{0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0,
                                            0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1}));
  EXPECT_EQ(first(find("stco"), 16), (Bytes{0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 100, 0, 0, 1, 44}));
}

// makeSeekable learns a sample's duration when the next one comes, and that a track has
// sync samples to list when the first that is not one comes.
TEST(Mp4SampleTable, KeepsRunsAndListsSyncSamplesOnceOneIsNot) {
  mp4::SampleTable table;
  table.add({0, 4, 960, true});
  table.add({4, 4, 960, true});
  table.setLastDuration(480);
  table.add({8, 4, 960, false});
  table.add({100, 6, 960, true});
  table.setLastDuration(100);
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table.totalDuration(), 960u + 480 + 960 + 100);
  const auto runs = table.durationRuns();
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0].count, 1u);
  EXPECT_EQ(runs[1].duration, 480u);
  EXPECT_EQ(runs[2].duration, 960u);
  EXPECT_EQ(runs[3].duration, 100u);
  EXPECT_FALSE(table.allSync());
  EXPECT_EQ(table.syncSamples(), (std::vector<uint32_t>{1, 2, 4}));
  ASSERT_EQ(table.chunks().size(), 2u);
  EXPECT_EQ(table.chunks()[0].samples, 3u);
  EXPECT_EQ(table.chunks()[1].offset, 100u);
  EXPECT_EQ(table.sizes(), (std::vector<uint32_t>{4, 4, 4, 6}));
}

TEST(Mp4Movie, APreSkipAndALateStartAreEdits) {
  mp4::Track track;
  track.timescale = 48000;
  track.sampleEntry = {0, 0, 0, 8, 'O', 'p', 'u', 's'};
  track.mediaStart = 312;
  track.startOffset = 4800;  // 100 ms
  track.samples.add({0, 3, 960, true});
  track.mediaDuration = 960;
  track.presentedDuration = 648;
  Bytes out;
  bmff::Writer w(out);
  mp4::writeMovie(w, mp4::Movie{{track}, false});
  const auto at = findType(out, "elst");
  ASSERT_NE(at, out.end());
  const Bytes elst(at + 4, at + 4 + 4 + 4 + 2 * 20);
  EXPECT_EQ(elst,
            (Bytes{1,    0,    0,    0,    0,    0, 0, 2,  // version 1, two entries
                   0,    0,    0,    0,    0,    0, 0, 100, 0xFF, 0xFF, 0xFF,
                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 0,   0,  // 100 ms of nothing
                   0,    0,    0,    0,    0,    0, 0, 14,  0,    0,    0,
                   0,    0,    0,    1,    56,   0, 1, 0,   0}));  // 13.5 ms from media time 312
}

}  // namespace
}  // namespace mrec::detail
