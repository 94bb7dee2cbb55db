// The Blobs of a live mrec recording stream through MediaSource in Firefox ESR and Chromium,
// appended one by one as they come, for every type whose codecs MediaSource takes: WebM (VP8,
// VP9, AV1) and MP4 (H.264, VP9, AV1; audio only too). Each Blob after the first starts a WebM
// cluster or an MP4 fragment with a video key frame. Firefox drops a cluster that starts
// otherwise, so Blobs cut by media time left its video buffered to the end of the first second
// only; and in an MP4 whose edit list trims AAC's priming frame, Firefox finds a discontinuity
// at once and then drops a fragment's video up to its first key frame.
//
//   MREC=path/to/mrec node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openBrowserPages } from './helpers.mjs';
import { boxes, elements, mp4VideoFrames, streamThrough, videoFrames } from './mse.mjs';

const mrec = process.env.MREC;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-mediasource-'));
// Each type with its MediaSource type, whose codec strings say what mrec writes: H.264
// Constrained Baseline level 3.0 (avcC 42 C0 1E), VP9 profile 0 level 3.0 8-bit (vpcC), AV1
// Main level 3.0 8-bit (av1C seq_level_idx 4). Chromium refuses "av1", and "vp9" in MP4.
const allTypes = [['video/webm;codecs=vp8,opus', 'video/webm; codecs="vp8, opus"'],
               ['video/webm;codecs=vp9,opus', 'video/webm; codecs="vp9, opus"'],
               ['video/webm;codecs=av1,opus', 'video/webm; codecs="av01.0.04M.08, opus"'],
               ['video/mp4;codecs=avc1,mp4a.40.2', 'video/mp4; codecs="avc1.42C01E, mp4a.40.2"'],
               ['video/mp4;codecs=avc1,opus', 'video/mp4; codecs="avc1.42C01E, opus"'],
               ['video/mp4;codecs=vp9,opus', 'video/mp4; codecs="vp09.00.30.08, opus"'],
               ['video/mp4;codecs=av1,opus', 'video/mp4; codecs="av01.0.04M.08, opus"'],
               ['audio/mp4;codecs=opus', 'audio/mp4; codecs="opus"'],
               ['audio/mp4;codecs=mp4a.40.2', 'audio/mp4; codecs="mp4a.40.2"']];
// AAC is a build option (MREC_WITH_AAC): the types this build does not record are left out.
const recordable = new Set(execFileSync(mrec, ['types']).toString().split('\n')
  .filter((line) => line.startsWith('yes')).map((line) => line.slice(3).trim()));
const types = allTypes.filter(([type]) => recordable.has(type));
const recordings = {};
const pages = {};
let browsers;

// With -o - each Blob is written whole when it comes, a second of media after the last: a
// pause in the stream is a Blob boundary.
function recordBlobs(type) {
  return new Promise((resolve, reject) => {
    const video = type.startsWith('video/') ? ['--video', 'pattern'] : [];
    const child = spawn(mrec, ['record', '-q', '--type', type, '--tone', '440', ...video,
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
  // Realtime, 6 s each, before the browsers load the machine; three at a time, as with more
  // mrec drops video frames on two cores.
  const queue = types.map(([type]) => type);
  const record = async () => {
    for (let type; (type = queue.shift());) recordings[type] = await recordBlobs(type);
  };
  await Promise.all([record(), record(), record()]);
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

const isMp4 = (type) => type.includes('/mp4');
const framesOf = (type, blobs) => (isMp4(type) ? mp4VideoFrames(blobs) : videoFrames(blobs));

for (const [type] of types) {
  const video = type.startsWith('video/');
  const unit = isMp4(type) ? 'an MP4 fragment' : 'a Cluster';
  test(`each Blob of a live ${type} recording after the first starts ${unit}` +
       (video ? ' with a video key frame' : ''), () => {
    const blobs = recordings[type];
    assert.ok(blobs.length >= 5, `${blobs.length} Blobs`);
    if (isMp4(type)) {
      // Whole boxes only: MediaSource parses each append from where the last one ended.
      for (const [i, blob] of blobs.entries()) {
        const top = [...boxes(blob, new Set())];
        const layout = JSON.stringify(top.map(({ type: box, at }) => `${box}@${at}`));
        assert.equal(top.at(-1).end, blob.length, `Blob ${i} is whole boxes: ${layout}`);
        assert.deepEqual(top.slice(0, i ? 1 : 3).map(({ type: box }) => box),
                         i ? ['moof'] : ['ftyp', 'moov', 'moof'], `Blob ${i}: ${layout}`);
      }
    } else {
      for (const [i, blob] of blobs.entries())
        if (i > 0) assert.equal(blob.subarray(0, 4).toString('hex'), '1f43b675', `Blob ${i} starts a Cluster`);
    }
    if (!video) return;
    const frames = framesOf(type, blobs);
    const keys = JSON.stringify(frames.flat().filter((frame) => frame.key).map((frame) => frame.time));
    const starts = JSON.stringify(frames.map((blobFrames) => blobFrames[0]?.time));
    for (const [i, blobFrames] of frames.entries()) {
      if (blobFrames.length)
        assert.ok(blobFrames[0].key, `Blob ${i} starts its video with a key frame (key frames at ` +
                  `${keys} s, Blobs' first frames at ${starts} s)`);
    }
  });
}

for (const [type, mimeType] of types) {
  const video = type.startsWith('video/');
  for (const player of ['Chromium', 'Firefox']) {
    test(`${player} streams the Blobs of a live ${type} recording through MediaSource`, async (t) => {
      const blobs = recordings[type];
      const frames = video ? framesOf(type, blobs) : blobs.map(() => []);
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
      if (video) assert.ok(played.frames >= times.length - 5, `${played.frames} of ${times.length} video frames`);
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
