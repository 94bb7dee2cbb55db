// openMediaFile with WAV files made by sox: every supported encoding decodes back to its tone.
#include <gtest/gtest.h>

#include <fstream>

#include "output/recording.h"
#include "support/media_tools.h"

namespace mrec {

namespace {
std::filesystem::path makeWav(const test::TempDir& dir, const std::string& name,
                              const std::string& soxFormat, int rate, int channels, double seconds,
                              int frequency) {
  const auto path = dir / name;
  const auto result =
      test::runCommand("sox -n " + soxFormat + " -r " + std::to_string(rate) + " -c " +
                       std::to_string(channels) + " '" + path.string() + "' synth " +
                       std::to_string(seconds) + " sine " + std::to_string(frequency) + " vol 0.5");
  EXPECT_EQ(result.status, 0) << result.output;
  return path;
}

}  // namespace

TEST(WavFile, EncodingsRatesAndChannelsRecordToTheirTone) {
  struct Case {
    std::string soxFormat;
    int rate, channels;
  };
  for (const auto& c :
       {Case{"-b 16 -e signed-integer", 44100, 2}, Case{"-b 24 -e signed-integer", 22050, 1},
        Case{"-b 32 -e floating-point", 48000, 2}, Case{"-b 32 -e signed-integer", 16000, 1},
        Case{"-b 8 -e unsigned-integer", 8000, 1}}) {
    SCOPED_TRACE(c.soxFormat + " " + std::to_string(c.rate));
    test::TempDir dir;
    const auto wav = makeWav(dir, "in.wav", c.soxFormat, c.rate, c.channels, 2.0, 600);
    const auto rec = test::recordToEnd(openMediaFile(wav, {.realtime = false}), {});
    test::writeFile(dir / "out.ogg", rec.file());
    const auto samples = test::decodeMono(dir / "out.ogg");
    EXPECT_EQ(samples.size(), 96000u);
    EXPECT_NEAR(test::zeroCrossingFrequency(samples, 48000), 600, 2);
  }
}

TEST(WavFile, ErrorsAreClearDomExceptions) {
  test::TempDir dir;
  EXPECT_EQ(test::thrownName([&] { openMediaFile(dir / "missing.wav"); }), "NotFoundError");
  { std::ofstream(dir / "garbage.wav") << "this is not a wav file at all"; }
  EXPECT_EQ(test::thrownName([&] { openMediaFile(dir / "garbage.wav"); }), "EncodingError");
  const auto adpcm = makeWav(dir, "adpcm.wav", "-e ima-adpcm", 8000, 1, 0.5, 440);
  EXPECT_EQ(test::thrownName([&] { openMediaFile(adpcm); }), "NotSupportedError");
}

}  // namespace mrec
