// `mrec fix` on the audio-only WebM (audio/webm;codecs=opus) that the browsers' own
// MediaRecorders write from an oscillator: Chromium's and Firefox ESR's. Chromium marks every
// Opus block a key frame, Firefox none, and a fix that cued key frames only gave Firefox's file
// an empty Cues: GStreamer then warns of a SeekHead entry beyond the file, and Chromium never
// finishes a seek. After the fix each file has cue points and its length, and seeks to the
// middle in both browsers.
//
//   MREC=path/to/mrec node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ffprobeDuration, openBrowserPages } from './helpers.mjs';

const mrec = process.env.MREC;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-audio-webm-'));
const pages = {};
let browsers;

before(async () => {
  assert.ok(mrec, 'MREC must name the mrec binary');
  browsers = await openBrowserPages();
  Object.assign(pages, browsers.pages);
});

after(async () => {
  if (browsers) await browsers.close();
  rmSync(work, { recursive: true, force: true });
});

// Runs in the page: 3 s of an oscillator through the browser's MediaRecorder in 500 ms Blobs,
// as base64 (both drivers pass strings back cheaply, not bytes).
async function recordOscillator(mimeType) {
  const audio = new AudioContext();
  const oscillator = audio.createOscillator();
  const destination = audio.createMediaStreamDestination();
  oscillator.connect(destination);
  oscillator.start();
  const recorder = new MediaRecorder(destination.stream, { mimeType });
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  // Timed from 'start', not start(): Firefox starts its encoder a little later.
  const started = new Promise((resolve) => { recorder.onstart = resolve; });
  recorder.start(500);
  await started;
  await new Promise((resolve) => setTimeout(resolve, 3000));
  recorder.stop();
  await stopped;
  const state = audio.state;
  oscillator.stop();
  await audio.close();
  const buffer = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let text = '';
  for (let i = 0; i < buffer.length; i += 0x8000) text += String.fromCharCode(...buffer.subarray(i, i + 0x8000));
  return { state, data: btoa(text) };
}

// Runs in the page: the <audio> element's duration and where a seek to the middle lands.
async function seekToMiddle(data) {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const audio = document.createElement('audio');
  audio.src = URL.createObjectURL(new Blob([bytes], { type: 'audio/webm' }));
  await new Promise((resolve, reject) => {
    audio.onloadedmetadata = resolve;
    audio.onerror = () => reject(new Error(`media error ${audio.error.code}: ${audio.error.message}`));
  });
  const duration = audio.duration;
  if (!Number.isFinite(duration)) return { duration: String(duration) };
  const seeked = new Promise((resolve) => { audio.onseeked = () => resolve(true); });
  audio.currentTime = duration / 2;
  // currentTime reads back the target at once; only 'seeked' says the seek got there, and in
  // a file with no cue point Chromium never sends it.
  const timeout = new Promise((resolve) => setTimeout(resolve, 5000, false));
  return { duration, seeked: await Promise.race([seeked, timeout]), afterSeek: audio.currentTime };
}

for (const recorder of ['Chromium', 'Firefox']) {
  test(`${recorder}'s own audio/webm;codecs=opus becomes seekable with mrec fix`, async () => {
    const file = path.join(work, `${recorder}.webm`);
    const recorded = await pages[recorder].evaluate(recordOscillator, 'audio/webm;codecs=opus');
    assert.equal(recorded.state, 'running', 'the AudioContext ran');
    writeFileSync(file, Buffer.from(recorded.data, 'base64'));
    assert.equal(ffprobeDuration(file), 'N/A', `${recorder}'s file has no duration`);

    execFileSync(mrec, ['fix', file]);
    // mkvinfo stops at the first Cluster unless -a; the Cues come after the last.
    const cuePoints = execFileSync('mkvinfo', ['-a', file]).toString().match(/Cue point/g) || [];
    assert.ok(cuePoints.length > 0, 'the Cues hold a cue point');
    const seconds = Number(ffprobeDuration(file));
    assert.ok(Math.abs(seconds - 3) <= 0.3, `ffprobe reads ${seconds} s`);
    // matroskademux says this only as a GStreamer warning, which GST_DEBUG=2 prints on stderr.
    const discovered = spawnSync('gst-discoverer-1.0', [file],
                                 { env: { ...process.env, GST_DEBUG: '2', GST_DEBUG_NO_COLOR: '1' } });
    assert.doesNotMatch(`${discovered.stdout}${discovered.stderr}`, /SeekHead reference lies outside file/);

    const data = readFileSync(file).toString('base64');
    for (const player of ['Chromium', 'Firefox']) {
      const played = await pages[player].evaluate(seekToMiddle, data);
      assert.ok(Math.abs(played.duration - seconds) < 0.1, `${player} reads ${played.duration} s`);
      assert.ok(played.seeked, `${player} finishes a seek to ${played.duration / 2} s within 5 s`);
      assert.ok(Math.abs(played.afterSeek - played.duration / 2) <= 0.15,
                `${player} seeked to ${played.afterSeek} of ${played.duration} s`);
    }
  });
}
