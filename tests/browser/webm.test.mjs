// Chromium and mrec's files both ways. `mrec fix` (makeSeekable) on a WebM and an MP4 that
// Debian's Chromium's own MediaRecorder wrote from an oscillator and a canvas: before, no
// duration (or only the first fragment's); after, ffprobe, GStreamer and Chromium's <video>
// know the length and Chromium seeks to the middle. And mrec's own video WebM and MP4, played
// by Chromium to their end.
//
//   MREC=path/to/mrec node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ffprobeDuration, launchChromium, playToEndAfterSeek } from './helpers.mjs';

const mrec = process.env.MREC;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-seekable-'));
let browser;
let page;

// What Chromium's <video> makes of the file: its duration, and where a seek to the middle lands.
async function playInChromium(file, type = 'video/webm') {
  const base64 = readFileSync(file).toString('base64');
  return page.evaluate(async ([data, blobType]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const video = document.createElement('video');
    video.muted = true;
    video.src = URL.createObjectURL(new Blob([bytes], { type: blobType }));
    document.body.append(video);
    await new Promise((resolve, reject) => {
      video.onloadedmetadata = resolve;
      video.onerror = () => reject(new Error(`media error ${video.error.code}`));
    });
    const duration = video.duration;
    if (!Number.isFinite(duration)) return { duration: String(duration) };
    const seeked = new Promise((resolve) => { video.onseeked = resolve; });
    video.currentTime = duration / 2;
    await seeked;
    const result = { duration, afterSeek: video.currentTime };
    video.remove();
    return result;
  }, [base64, type]);
}

before(async () => {
  assert.ok(mrec, 'MREC must name the mrec binary');
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent('<!DOCTYPE html><canvas width="320" height="240"></canvas>');
});

after(async () => {
  if (browser) await browser.close();
  rmSync(work, { recursive: true, force: true });
});

// Records 3 s of an oscillator and a canvas with Chromium's own MediaRecorder in 500 ms Blobs.
async function recordInChromium(mimeType) {
  const base64 = await page.evaluate(async (type) => {
    const audio = new AudioContext();
    const oscillator = audio.createOscillator();
    const destination = audio.createMediaStreamDestination();
    oscillator.connect(destination);
    oscillator.start();
    const canvas = document.querySelector('canvas');
    const context = canvas.getContext('2d');
    let frame = 0;
    const timer = setInterval(() => {
      context.fillStyle = `hsl(${(frame++ * 10) % 360}, 80%, 50%)`;
      context.fillRect(0, 0, canvas.width, canvas.height);
    }, 33);
    const stream = new MediaStream([...canvas.captureStream(30).getVideoTracks(),
                                    ...destination.stream.getAudioTracks()]);
    const recorder = new MediaRecorder(stream, { mimeType: type });
    const chunks = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
    recorder.start(500);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    recorder.stop();
    await stopped;
    clearInterval(timer);
    oscillator.stop();
    await audio.close();
    const buffer = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let text = '';
    for (let i = 0; i < buffer.length; i += 0x8000) text += String.fromCharCode(...buffer.subarray(i, i + 0x8000));
    return btoa(text);
  }, mimeType);
  return Buffer.from(base64, 'base64');
}

test("Chromium's own MediaRecorder WebM becomes seekable with mrec fix", async () => {
  const file = path.join(work, 'chromium.webm');
  writeFileSync(file, await recordInChromium('video/webm;codecs=vp8,opus'));

  assert.equal(ffprobeDuration(file), 'N/A', "Chromium's file has no duration");
  assert.equal((await playInChromium(file)).duration, 'Infinity');

  execFileSync(mrec, ['fix', file]);
  const seconds = Number(ffprobeDuration(file));
  assert.ok(Math.abs(seconds - 3) < 0.3, `ffprobe reads ${seconds} s`);
  const played = await playInChromium(file);
  assert.ok(Math.abs(played.duration - seconds) < 0.1, `Chromium reads ${played.duration} s`);
  assert.ok(Math.abs(played.afterSeek - played.duration / 2) < 0.1, `seeked to ${played.afterSeek}`);
  execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);  // decodes cleanly

  const fixed = readFileSync(file);
  execFileSync(mrec, ['fix', file]);
  assert.ok(readFileSync(file).equals(fixed), 'a fixed file is left as it is');
});

// Debian's Chromium records video/mp4;codecs=avc1,opus as fragments whose moov has no
// duration and no index: GStreamer sees the first fragment only. mrec fix makes it a regular
// MP4 that ffprobe, GStreamer and Chromium read with its whole length.
test("Chromium's own MediaRecorder MP4 becomes a regular MP4 with mrec fix", async () => {
  const file = path.join(work, 'chromium.mp4');
  writeFileSync(file, await recordInChromium('video/mp4;codecs=avc1,opus'));
  execFileSync(mrec, ['fix', file]);
  const seconds = Number(ffprobeDuration(file));
  assert.ok(Math.abs(seconds - 3) < 0.3, `ffprobe reads ${seconds} s`);
  const discovered = execFileSync('gst-discoverer-1.0', [file]).toString();
  const match = /Duration: (\d+):(\d+):([\d.]+)/.exec(discovered);
  assert.ok(match, discovered);
  const gstSeconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  assert.ok(Math.abs(gstSeconds - seconds) < 0.05, `GStreamer reads ${gstSeconds} s`);
  const played = await playInChromium(file, 'video/mp4');
  assert.ok(Math.abs(played.duration - seconds) < 0.1, `Chromium reads ${played.duration} s`);
  assert.ok(Math.abs(played.afterSeek - played.duration / 2) < 0.1, `seeked to ${played.afterSeek}`);
  const fixed = readFileSync(file);
  execFileSync(mrec, ['fix', file]);
  assert.ok(readFileSync(file).equals(fixed), 'a fixed file is left as it is');
});

// mrec's own video: Chromium plays a VP8+Opus WebM (and VP9, AV1; and VP9 and AV1 in MP4,
// finished by makeSeekable) to its end with no media error, at the size and length it was
// recorded with, after a seek to the middle lands there.
for (const [type, extension] of [['video/webm;codecs=vp8,opus', 'webm'],
                                 ['video/webm;codecs=vp9,opus', 'webm'],
                                 ['video/webm;codecs=av1,opus', 'webm'],
                                 ['video/mp4;codecs=avc1,opus', 'mp4'],
                                 ['video/mp4;codecs=vp9,opus', 'mp4'],
                                 ['video/mp4;codecs=av01,opus', 'mp4']]) {
  test(`Chromium plays mrec's ${type} to its end`, async () => {
    const file = path.join(work, `mrec-${type.replace(/[^a-z0-9]/g, '-')}.${extension}`);
    execFileSync(mrec, ['record', '-q', '--tone', '440', '--video', 'pattern', '--offline',
                        '--duration', '3', '--type', type, '-o', file]);
    const played = await playToEndAfterSeek(page, file, type.split(';')[0]);
    assert.equal(played.error, null);
    assert.equal(played.width, 640);
    assert.equal(played.height, 480);
    assert.ok(Math.abs(played.duration - 3) < 0.05, `duration ${played.duration}`);
    assert.ok(Math.abs(played.afterSeek - played.duration / 2) < 0.1, `seeked to ${played.afterSeek}`);
    assert.ok(Math.abs(played.currentTime - played.duration) < 0.05, `ended at ${played.currentTime}`);
    assert.ok(played.frames >= 45, `${played.frames} frames decoded`);
  });
}
