// mrec::mediaDuration reads the length a finished file decodes to, and says nothing for a
// file that does not tell (a live WebM, a fragmented MP4, not media at all).
#include "mrec/media_duration.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "mrec/formats.h"
#include "mrec/seekable.h"
#include "recording.h"
#include "support/media_tools.h"

namespace mrec {

TEST(MediaDuration, IsWhatFfprobeReadsOfEachFinishedContainer) {
  test::TempDir dir;
  for (const char* type : {"audio/ogg;codecs=opus", "audio/webm;codecs=opus",
                           "audio/mp4;codecs=opus", "video/x-matroska;codecs=pcm"}) {
    SCOPED_TRACE(type);
    const auto rec = test::recordToEnd(test::createOfflineToneStream(1.5), {.mimeType = type}, 500);
    const auto container = containerForType(type);
    ASSERT_TRUE(container);
    const auto file = dir / ("clip." + container->extension);
    test::writeFile(file, rec.file());
    if (container->finishedByMakeSeekable) {
      EXPECT_FALSE(mediaDuration(file)) << "written live: the file does not say yet";
      makeSeekable(file);
    }
    const auto seconds = mediaDuration(file);
    ASSERT_TRUE(seconds);
    EXPECT_NEAR(*seconds, 1.5, 0.0005) << "what was recorded";
    // ffmpeg 5.1 counts the Opus pre-skip into an Ogg's duration (6.5 ms here) and decodes
    // an MP4 past its edit's end (docs/conformance.md decision 19): each is checked against
    // what ffmpeg reads right.
    if (container->extension != "ogg") {
      EXPECT_NEAR(*seconds, std::atof(test::ffprobe(file, "format=duration").c_str()), 0.0005);
    }
    if (container->extension != "mp4") {
      EXPECT_NEAR(*seconds, double(test::decodeMono(file).size()) / 48000, 0.0005);
    }
  }
}

TEST(MediaDuration, SaysNothingForWhatIsNotMedia) {
  test::TempDir dir;
  test::writeFile(dir / "notes.txt", std::vector<uint8_t>(100, 'a'));
  EXPECT_FALSE(mediaDuration(dir / "notes.txt"));
  EXPECT_FALSE(mediaDuration(dir / "missing.ogg"));
  test::writeFile(dir / "short.ogg", std::vector<uint8_t>{'O', 'g', 'g', 'S'});
  EXPECT_FALSE(mediaDuration(dir / "short.ogg"));
}

}  // namespace mrec
