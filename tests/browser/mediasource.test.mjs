// The Blobs of a live mrec recording with video stream through MediaSource in Firefox ESR and
// Chromium, appended one by one as they come: each Blob after the first starts a WebM cluster
// with a video key frame. Firefox drops a cluster that starts otherwise, so Blobs cut by media
// time left its video buffered to the end of the first second only.
//
//   MREC=path/to/mrec node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openBrowserPages } from './helpers.mjs';
import { elements, streamThrough, videoFrames } from './mse.mjs';

const mrec = process.env.MREC;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-mediasource-'));
const types = [['video/webm;codecs=vp8,opus', 'video/webm; codecs="vp8, opus"'],
               ['video/webm;codecs=vp9,opus', 'video/webm; codecs="vp9, opus"']];
const recordings = {};
const pages = {};
let browsers;

// With -o - each Blob is written whole when it comes, a second of media after the last: a
// pause in the stream is a Blob boundary.
function recordBlobs(type) {
  return new Promise((resolve, reject) => {
    const child = spawn(mrec, ['record', '-q', '--type', type, '--tone', '440', '--video', 'pattern',
                               '--duration', '6', '--timeslice', '1000', '-o', '-'],
                        { stdio: ['ignore', 'pipe', 'inherit'] });
    const blobs = [];
    let last = -Infinity;
    child.stdout.on('data', (bytes) => {
      if (performance.now() - last > 300) blobs.push([]);
      blobs.at(-1).push(bytes);
      last = performance.now();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(blobs.map((parts) => Buffer.concat(parts)))
                                            : reject(new Error(`mrec exited with ${code}`))));
  });
}

before(async () => {
  assert.ok(mrec, 'MREC must name the mrec binary');
  // Realtime, 6 s each: both at once, before the browsers load the machine.
  const recorded = await Promise.all(types.map(([type]) => recordBlobs(type)));
  types.forEach(([type], i) => { recordings[type] = recorded[i]; });
  browsers = await openBrowserPages();
  Object.assign(pages, browsers.pages);
});

after(async () => {
  if (browsers) await browsers.close();
  rmSync(work, { recursive: true, force: true });
});

// The Blobs whose first video frame MediaSource has not buffered: Firefox drops a whole cluster
// that starts with an inter frame.
function unbuffered(frames, buffered) {
  return frames.map((blob) => blob[0]?.time)
               .filter((time) => time !== undefined &&
                                 !buffered.some(([start, end]) => start <= time + 0.01 && time + 0.01 < end));
}

for (const [type, mimeType] of types) {
  for (const player of ['Chromium', 'Firefox']) {
    test(`${player} streams the Blobs of a live ${type} recording through MediaSource`, async (t) => {
      const blobs = recordings[type];
      const frames = videoFrames(blobs);
      assert.ok(blobs.length >= 5, `${blobs.length} Blobs`);
      for (const [i, blob] of blobs.entries()) {
        if (i > 0) assert.equal(blob.subarray(0, 4).toString('hex'), '1f43b675', `Blob ${i} starts a Cluster`);
        if (frames[i].length) assert.ok(frames[i][0].key, `Blob ${i} starts its video with a key frame`);
      }
      // Frames mrec drops on a busy machine leave no hole: the frame before a gap lasts until
      // the next (docs/conformance.md decision 21; tests/browser/mse_gaps.test.mjs).
      const times = frames.flat().map((frame) => frame.time);
      const dropped = times.filter((time, i) => i > 0 && time - times[i - 1] > 0.05).length;
      if (dropped) t.diagnostic(`mrec dropped video frames at ${dropped} places`);
      const played = await pages[player].evaluate(streamThrough, {
        mimeType, blobs: blobs.map((blob) => blob.toString('base64')), play: true });
      const buffered = played.appended.at(-1);
      const trace = `buffered after each Blob: ${JSON.stringify(played.appended)}`;
      assert.deepEqual(unbuffered(frames, buffered), [], trace);
      assert.ok(buffered[0][0] <= 0.05, trace);
      assert.equal(buffered.length, 1, trace);
      assert.ok(buffered[0][1] >= 5.8, trace);
      assert.ok(played.ended, `ended at ${played.currentTime} s`);
      assert.ok(played.frames >= times.length - 5, `${played.frames} of ${times.length} video frames`);
    });
  }
}

// The check above can fail: ffmpeg's clusters of one GOP, cut each second by time, start with
// inter frames, and Firefox buffers the first only (Chromium takes them all).
test('Firefox drops clusters that do not start with a video key frame', async () => {
  const file = path.join(work, 'one-gop.webm');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30',
                          '-f', 'lavfi', '-i', 'sine', '-t', '6', '-c:v', 'libvpx', '-g', '600',
                          '-c:a', 'libopus', '-cluster_time_limit', '1000', '-f', 'webm', file]);
  const bytes = readFileSync(file);
  const starts = [...elements(bytes)].filter(({ id }) => id === 0x1f43b675).map(({ at }) => at);
  const blobs = starts.map((start, i) => bytes.subarray(i ? start : 0, starts[i + 1]));
  assert.ok(blobs.length >= 6, `${blobs.length} clusters`);
  const played = await pages.Firefox.evaluate(streamThrough, {
    mimeType: 'video/webm; codecs="vp8, opus"', blobs: blobs.map((blob) => blob.toString('base64')) });
  const missing = unbuffered(videoFrames(blobs), played.appended.at(-1));
  assert.ok(missing.length >= 4, `buffered after each cluster: ${JSON.stringify(played.appended)}`);
});
