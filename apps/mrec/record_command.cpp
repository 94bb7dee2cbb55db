// mrec record: a MediaRecorder on a device, a tone or a WAV file, and on a test pattern, the
// screen or a camera, each Blob written as it arrives, with a status line (time, bytes, peak
// level) on a terminal.
#include <fcntl.h>
#include <mrec/mrec.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "command_line.h"
#include "commands.h"
#include "level_meter.h"

namespace mrec::cli {

namespace {

// How long past --duration of the clock a live source may lag before it is given up on: a
// PulseAudio monitor of an idle sink delivers nothing for up to about two seconds.
constexpr double kStallSeconds = 5;

const char* const kUsageText =
    "usage: mrec record -o FILE|- [--device ID | --tone HZ | --file IN.wav]\n"
    "                   [--video pattern|screen|DEVICE] [options]\n"
    "\n"
    "  -o FILE|-              where to write; - streams each Blob to stdout\n"
    "  --tone HZ              record a sine tone (realtime unless --offline)\n"
    "  --file IN.wav          record a WAV file (as fast as possible unless --realtime)\n"
    "  --device ID            record an input (see `mrec devices`; default: the default input,\n"
    "                         unless --video is given without an audio source)\n"
    "  --video pattern|screen|DEVICE\n"
    "                         record video too: a moving test pattern (640x480, 30 fps), the\n"
    "                         X11 screen ($DISPLAY), or a camera (see `mrec devices`)\n"
    "  --type MIME            e.g. audio/webm;codecs=opus (default: from the file's extension,\n"
    "                         .ogg/.opus Ogg, .webm WebM, .mkv Matroska, .mp4/.m4a MP4; Ogg\n"
    "                         for -; with video, WebM VP8 and Opus for other extensions)\n"
    "  --timeslice MS|none    deliver a Blob each MS ms of media (default 1000; 10000 for an\n"
    "                         offline source, which runs far ahead of the clock); none: one\n"
    "                         Blob at the end, kept in a temporary file while it grows\n"
    "  --duration SEC         stop after SEC seconds of media (not of the clock: a device\n"
    "                         that starts late still gives SEC seconds)\n"
    "  --audio-bitrate BPS    target bits per second (default 128000)\n"
    "  --video-bitrate BPS    target video bits per second (default 2500000)\n"
    "  --bitrate-mode constant|variable\n"
    "  --realtime, --offline  pace the source by the clock, or run it as fast as possible\n"
    "  -q, --quiet            no status line\n"
    "\n"
    "Ctrl-C (or SIGTERM) stops cleanly (the file is complete; WebM and MP4 are made\n"
    "seekable); a second Ctrl-C aborts. An input that goes away while it records (the audio\n"
    "server stops, a device is unplugged) ends the recording with exit status 4, the file\n"
    "complete up to then.\n";

std::atomic<int> interrupts{0};
extern "C" void onSignal(int) {
  interrupts.fetch_add(1);
}

// From the extension; an unknown one (or -) records the recorder's default for the kinds.
std::string typeForPath(const std::string& path, bool video) {
  return path == "-" ? std::string() : typeForFileName(path, video);
}

// The video track --video names; throws DOMException when there is no such source.
std::shared_ptr<MediaStreamTrack> openVideo(const std::string& what, bool realtime,
                                            std::optional<double> duration) {
  if (what == "pattern")
    return createTestPatternTrack({.durationSeconds = duration, .realtime = realtime});
  if (what == "screen")
    return mediaDevices::getDisplayMedia({.video = true})->getVideoTracks().at(0);
  MediaTrackConstraints camera;
  camera.deviceId = what;
  return mediaDevices::getUserMedia({.video = camera})->getVideoTracks().at(0);
}

std::string formatBytes(uint64_t bytes) {
  char text[32];
  if (bytes < 10000)
    std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  else if (bytes < 10000000)
    std::snprintf(text, sizeof text, "%.1f kB", double(bytes) / 1e3);
  else
    std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
  return text;
}

// The command line, checked: what to record, where, and how.
struct Request {
  std::string outPath;
  int sources = 0;  ///< how many of --tone, --file and --device were given
  std::optional<std::string> video, file;
  std::optional<double> tone, duration, timeslice;
  bool oneBlob = false;  ///< --timeslice none
  bool offline = false, realtimeFile = false, quiet = false;
  MediaRecorderOptions options;
  MediaTrackConstraints device;
};

Request parseRequest(const CommandLine& line) {
  if (!line.positional().empty()) throw UsageError("unexpected argument " + line.positional()[0]);
  Request request;
  const auto outPath = line.value("-o");
  if (!outPath) throw UsageError("-o FILE|- is required");
  request.outPath = *outPath;
  request.sources = int(line.has("--tone")) + int(line.has("--file")) + int(line.has("--device"));
  if (request.sources > 1) throw UsageError("give one of --tone, --file and --device");
  request.video = line.value("--video");
  request.file = line.value("--file");
  request.device.deviceId = line.value("--device");
  if (line.has("--realtime") && line.has("--offline"))
    throw UsageError("--realtime and --offline exclude each other");
  request.offline = line.has("--offline");
  request.realtimeFile = line.has("--realtime");
  request.quiet = line.has("-q") || line.has("--quiet");
  request.tone = line.number("--tone", 1, 24000);
  request.duration = line.number("--duration", 0, 1e7);
  if (request.duration && *request.duration <= 0)
    throw UsageError("--duration wants seconds above 0");
  request.oneBlob = line.value("--timeslice") == "none";
  if (request.oneBlob && request.outPath != "-")
    std::cerr << "mrec: warning: with --timeslice none the file is written only when the "
                 "recording stops; a crash, a kill or a full disk before then loses all of it\n";
  if (!request.oneBlob) request.timeslice = line.number("--timeslice", 0, 4294967295.0);
  const auto bitrate = line.number("--audio-bitrate", 0, 4294967295.0);
  const auto videoBitrate = line.number("--video-bitrate", 0, 4294967295.0);
  const auto mode = line.value("--bitrate-mode");
  if (mode && *mode != "constant" && *mode != "variable")
    throw UsageError("--bitrate-mode is constant or variable, not \"" + *mode + "\"");

  MediaRecorderOptions& options = request.options;
  options.mimeType =
      line.value("--type").value_or(typeForPath(request.outPath, request.video.has_value()));
  if (bitrate) options.audioBitsPerSecond = static_cast<uint32_t>(*bitrate);
  if (videoBitrate) options.videoBitsPerSecond = static_cast<uint32_t>(*videoBitrate);
  if (mode)
    options.audioBitrateMode = *mode == "constant" ? BitrateMode::Constant : BitrateMode::Variable;
  return request;
}

// What is recorded.
struct Input {
  std::shared_ptr<MediaStream> stream = std::make_shared<MediaStream>();
  bool realtime = false;   ///< paced by the clock (a device, or as asked)
  std::string deviceName;  ///< of an input device, whose loss is an error; else empty
};

// The audio source the request names: a tone, a device, a file, or none (video only).
// nullopt, the reason said, when it cannot be opened.
std::optional<Input> openAudio(const Request& request) {
  Input input;
  if (request.video && request.sources == 0) {
    input.realtime = !request.offline;
  } else if (request.tone) {
    input.realtime = !request.offline;
    if (!input.realtime && !request.duration)
      throw UsageError("an --offline tone needs --duration");
    ToneOptions toneOptions;
    toneOptions.frequency = *request.tone;
    toneOptions.durationSeconds = request.duration;
    toneOptions.realtime = input.realtime;
    input.stream = std::make_shared<MediaStream>(std::vector{createToneTrack(toneOptions)});
  } else if (!request.file) {
    input.realtime = true;
    const std::string name = request.device.deviceId.value_or("the default input");
    try {
      input.stream = mediaDevices::getUserMedia({.audio = request.device});
      input.deviceName = name;
    } catch (const DOMException& e) {
      std::cerr << "mrec: cannot record " << name << ": " << e.name() << ": " << e.message()
                << "\n";
      return std::nullopt;
    }
  } else {
    input.realtime = request.realtimeFile;
    if (request.duration && !input.realtime)
      throw UsageError("--duration with --file needs --realtime");
    std::error_code same;
    if (request.outPath != "-" && std::filesystem::equivalent(*request.file, request.outPath, same))
      throw UsageError("-o " + request.outPath + " is the input file: recording would destroy it");
    if (std::filesystem::is_fifo(*request.file, same))
      std::cerr << "mrec: " << *request.file
                << " is a FIFO: waiting for a program to write to it (Ctrl-C gives up)\n";
    try {
      MediaFileOptions fileOptions;
      fileOptions.realtime = input.realtime;
      input.stream = openMediaFile(*request.file, fileOptions);
    } catch (const DOMException& e) {
      std::cerr << "mrec: " << *request.file << ": " << e.message() << "\n";
      return std::nullopt;
    }
  }
  return input;
}

// The audio and the video the request names; nullopt, the reason said, when either cannot
// be opened.
std::optional<Input> openInput(const Request& request) {
  auto input = openAudio(request);
  if (!input || !request.video) return input;
  if (!input->realtime && !request.duration)
    throw UsageError("an --offline --video pattern needs --duration");
  try {
    input->stream->addTrack(openVideo(*request.video, input->realtime, request.duration));
  } catch (const DOMException& e) {
    std::cerr << "mrec: cannot record video from " << *request.video << ": " << e.name() << ": "
              << e.message() << "\n";
    return std::nullopt;
  }
  return input;
}

// Records until the recorder stops: each Blob appended to `output`, Ctrl-C stopping it (a
// second aborting), a live source that stalls given up on, and the status line drawn on a
// terminal. kOk, kRecordingError (said), kUnsupportedType or kInterrupted.
int recordUntilStopped(MediaRecorder& recorder, EventLoop& loop, BlobFile& output,
                       const Request& request, const Input& input) {
  bool stopped = false;
  int exitCode = kOk;
  recorder.ondataavailable = [&](const BlobEvent& e) {
    // The recording cannot go on without somewhere to put it: end it through the error path,
    // so the error is reported once, as any recording error is.
    if (!output.append(e.data))
      recorder.stopWithError(
          DOMException("UnknownError", "cannot write " + request.outPath + ": " + output.error()));
  };
  recorder.onerror = [&](const ErrorEvent& e) {
    std::cerr << "\nmrec: recording failed: " << (e.error ? e.error->what() : "unknown") << "\n";
    exitCode = kRecordingError;
  };
  recorder.onstop = [&](const Event&) { stopped = true; };
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  const bool showStatus = isatty(STDERR_FILENO) && !request.quiet;
  // The meter reads the track itself, beside the recorder; it never slows the recording.
  std::unique_ptr<MediaStreamTrackProcessor> levels;
  if (showStatus && !input.stream->getAudioTracks().empty())
    levels = std::make_unique<MediaStreamTrackProcessor>(
        MediaStreamTrackProcessorInit{input.stream->getAudioTracks()[0], 200});
  LevelMeter meter;
  const auto begin = std::chrono::steady_clock::now();
  try {
    if (request.oneBlob)
      recorder.start();
    else
      recorder.start(
          static_cast<uint32_t>(request.timeslice.value_or(input.realtime ? 1000 : 10000)));
  } catch (const DOMException& e) {  // a video track with an audio-only type, say
    std::cerr << "mrec: cannot record " << request.options.mimeType << ": " << e.message() << "\n";
    return kUnsupportedType;
  }

  int handledInterrupts = 0;
  while (!stopped) {
    loop.runUntil([&] { return stopped || interrupts.load() != handledInterrupts; },
                  std::chrono::milliseconds(100));
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    if (interrupts.load() >= 2) {
      std::cerr << "\nmrec: aborted\n";
      return kInterrupted;
    }
    // The recorder ends itself at --duration of media; a source that delivers far less than
    // the clock allows is given up on, and said so.
    const bool stalled =
        input.realtime && request.duration && elapsed >= *request.duration + kStallSeconds;
    if (stalled && recorder.state() != RecordingState::Inactive)
      std::cerr << "\nmrec: the input gave " << recorder.recordedDuration() / 1000
                << " s of media in " << elapsed << " s; stopping\n";
    if ((interrupts.load() != handledInterrupts || stalled) &&
        recorder.state() != RecordingState::Inactive)
      recorder.stop();
    handledInterrupts = interrupts.load();
    if (!showStatus) continue;
    while (levels) {
      auto read = levels->read(std::chrono::milliseconds(0));
      if (!read || read->done) break;
      meter.add(std::get<AudioData>(read->value));
    }
    const uint64_t dropped = recorder.droppedVideoFrames();
    const std::string droppedText =
        dropped ? "  " + std::to_string(dropped) + " frames dropped" : std::string();
    std::fprintf(stderr, "\r● %-9s %7.1f s  %9s  %s%s ", toString(recorder.state()),
                 recorder.recordedDuration() / 1000, formatBytes(output.bytes()).c_str(),
                 meter.render(std::chrono::steady_clock::now()).c_str(), droppedText.c_str());
  }
  if (showStatus) std::fprintf(stderr, "\n");
  return exitCode;
}

// After the recording: says what was lost (video frames, the input, the output) and makes
// a file WebM or MP4 seekable. The command's exit status, from the recording's.
int finishOutput(MediaRecorder& recorder, BlobFile& output, const Request& request,
                 const Input& input, int exitCode) {
  // This command never stops a device's track, so a track that has ended by now was ended by
  // its device going away (the track is marked ended before the recorder hears of it).
  const bool inputLost =
      !input.deviceName.empty() &&
      input.stream->getAudioTracks()[0]->readyState() == MediaStreamTrackState::Ended;
  if (const uint64_t dropped = recorder.droppedVideoFrames())
    // A failed recording (the audio queue overflowed) has said why already; only a
    // successful one can promise whole audio.
    std::cerr << "mrec: " << dropped
              << " video frames were dropped: the encoder fell behind a busy machine"
              << (exitCode == kOk ? " (the audio is whole)" : "") << "\n";
  if (inputLost) {
    std::cerr << "mrec: " << input.deviceName << " went away while recording; " << request.outPath
              << " holds what was recorded until then\n";
    if (exitCode == kOk) exitCode = kNoInput;
  }
  // A live-written WebM has no Duration or Cues; a file (not a pipe) can have them now, even
  // one cut short by a write error (it holds whole Blobs).
  if (const auto container = containerForType(recorder.mimeType());
      request.outPath != "-" && container && container->finishedByMakeSeekable) {
    output.close();
    try {
      makeSeekable(request.outPath);
    } catch (const DOMException& e) {
      std::cerr << "mrec: " << request.outPath << " plays but is not seekable: " << e.what()
                << "\n";
    }
  }
  if (!output.ok()) {
    std::cerr << "mrec: " << request.outPath << " holds what was recorded before the write failed ("
              << formatBytes(output.bytes()) << ")\n";
    return kOutputError;
  }
  return exitCode;
}

int record(const CommandLine& line) {
  const Request request = parseRequest(line);
  const auto input = openInput(request);
  if (!input) return kNoInput;
  MediaRecorderOptions options = request.options;
  // A live source may start late or stall; the recorder counts its media, not the clock.
  if (input->realtime && request.duration) options.maxDuration = *request.duration * 1000;
  auto loop = std::make_shared<EventLoop>();
  std::unique_ptr<MediaRecorder> recorder;
  try {
    recorder = std::make_unique<MediaRecorder>(input->stream, options, loop);
  } catch (const DOMException& e) {
    std::cerr << "mrec: cannot record " << options.mimeType << ": " << e.message() << "\n";
    return kUnsupportedType;
  }
  // Whole Blobs only (mrec::BlobFile), so what a failed write leaves is a playable prefix;
  // stdout gets each Blob at once, for a pipe.
  std::optional<BlobFile> output;
  try {
    output.emplace(request.outPath == "-" ? BlobFile::toDescriptor(STDOUT_FILENO)
                                          : BlobFile(request.outPath));
  } catch (const DOMException& e) {
    std::cerr << "mrec: " << e.message() << "\n";
    return kOutputError;
  }
  const int exitCode = recordUntilStopped(*recorder, *loop, *output, request, *input);
  if (exitCode == kUnsupportedType || exitCode == kInterrupted) return exitCode;
  return finishOutput(*recorder, *output, request, *input, exitCode);
}

}  // namespace

int runRecord(const std::vector<std::string>& args) {
  try {
    const CommandLine line(
        args,
        {"-o", "--tone", "--file", "--device", "--type", "--timeslice", "--duration",
         "--audio-bitrate", "--bitrate-mode", "--video", "--video-bitrate"},
        {"--realtime", "--offline", "-q", "--quiet", "--help", "-h"});
    if (line.has("--help") || line.has("-h")) {
      std::cout << kUsageText;
      return kOk;
    }
    return record(line);
  } catch (const UsageError& e) {
    std::cerr << "mrec record: " << e.what() << "\n" << kUsageText;
    return kUsage;
  }
}

}  // namespace mrec::cli
