// Google Benchmark micro-benchmarks of the recording hot paths: sample conversion and
// resampling, the Opus encode path, the Ogg and WebM writers, the chunker, event dispatch.
//
//   build-release/bench/micro_benchmarks [--benchmark_filter=Opus]
#include <benchmark/benchmark.h>
#include <mrec/mrec.h>

#include <cmath>
#include <memory>
#include <vector>

#include "codecs/audio_encoder.h"
#include "codecs/resampler.h"
#include "containers/muxer.h"
#include "core/sample_format.h"
#include "recorder/chunker.h"

namespace mrec::detail {
namespace {

constexpr uint32_t kRate = 48000;

std::vector<float> tone(uint32_t frames, uint32_t channels) {
  std::vector<float> samples(size_t{frames} * channels);
  for (uint32_t i = 0; i < frames; ++i)
    for (uint32_t c = 0; c < channels; ++c)
      samples[size_t{i} * channels + c] =
          0.5f * std::sin(6.2831853f * 440.0f * float(i) / float(kRate) + float(c));
  return samples;
}

// 20 ms of interleaved stereo S16, as a WAV file or a device hands it over.
void BM_ConvertS16ToFloat(benchmark::State& state) {
  std::vector<uint8_t> in(960 * 2 * 2, 0x5A);
  std::vector<float> out(960 * 2);
  for (auto _ : state) {
    convertToFloat(SampleEncoding::S16, in.data(), out.size(), out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 960);
}
BENCHMARK(BM_ConvertS16ToFloat);

void BM_Resample44100To48000Stereo(benchmark::State& state) {
  Resampler resampler(2, 44100, kRate);
  const auto in = tone(441, 2);  // 10 ms
  std::vector<float> out;
  for (auto _ : state) {
    out.clear();
    resampler.process(in.data(), 441, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 441);
}
BENCHMARK(BM_Resample44100To48000Stereo);

// One 20 ms frame through mrec's Opus encoder (complexity 10, 128 kbit/s VBR).
void BM_OpusEncodeFrame(benchmark::State& state) {
  const auto channels = static_cast<uint32_t>(state.range(0));
  std::string error;
  auto encoder = makeAudioEncoder({AudioCodec::Opus, kRate, channels, 128000}, error);
  const auto in = tone(960 * 50, channels);
  std::vector<EncodedPacket> packets;
  size_t at = 0;
  for (auto _ : state) {
    packets.clear();
    encoder->encode(in.data() + at * channels, 960, packets);
    at = (at + 960) % (960 * 50);
    benchmark::DoNotOptimize(packets.data());
  }
  state.SetItemsProcessed(state.iterations() * 960);
}
BENCHMARK(BM_OpusEncodeFrame)->Arg(1)->Arg(2);

std::vector<EncodedPacket> opusPackets(int count) {
  std::string error;
  auto encoder = makeAudioEncoder({AudioCodec::Opus, kRate, 2, 128000}, error);
  const auto in = tone(960 * count, 2);
  std::vector<EncodedPacket> packets;
  encoder->encode(in.data(), 960 * count, packets);
  return packets;
}

void BM_MuxPacket(benchmark::State& state, Container container) {
  const auto packets = opusPackets(50);
  AudioTrackInfo info{AudioCodec::Opus, kRate, 2, 312, std::vector<uint8_t>(19, 1)};
  std::string error;
  auto muxer = makeMuxer(container, info, error);
  std::vector<uint8_t> out;
  muxer->writeHeader(out);
  int64_t time = 0;
  size_t i = 0;
  for (auto _ : state) {
    EncodedPacket packet = packets[i];
    packet.timestamp = time;
    muxer->writePacket(packet, out);
    time += 960;
    i = (i + 1) % packets.size();
    if (out.size() > (1 << 20)) out.clear();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_MuxPacket, Ogg, Container::Ogg);
BENCHMARK_CAPTURE(BM_MuxPacket, WebM, Container::WebM);

// The chunker cutting a Blob each second of media (50 packets).
void BM_ChunkerOneSecondBlobs(benchmark::State& state) {
  const auto packets = opusPackets(50);
  AudioTrackInfo info{AudioCodec::Opus, kRate, 2, 312, std::vector<uint8_t>(19, 1)};
  std::string error;
  Chunker chunker(makeMuxer(Container::WebM, info, error), kRate, 1000);
  chunker.writeHeader();
  int64_t time = 0;
  size_t i = 0;
  for (auto _ : state) {
    EncodedPacket packet = packets[i];
    packet.timestamp = time;
    benchmark::DoNotOptimize(chunker.add(packet));
    time += 960;
    i = (i + 1) % packets.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ChunkerOneSecondBlobs);

// An event posted to an EventLoop and dispatched to a listener.
void BM_EventDispatch(benchmark::State& state) {
  auto loop = std::make_shared<EventLoop>();
  EventTarget target;
  int64_t seen = 0;
  target.addEventListener("dataavailable", [&](const Event&) { ++seen; });
  for (auto _ : state) {
    loop->post([&] { target.dispatchEvent(Event("dataavailable")); });
    loop->runUntilIdle();
  }
  benchmark::DoNotOptimize(seen);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventDispatch);

}  // namespace
}  // namespace mrec::detail

BENCHMARK_MAIN();
