// Live video that misses frames (dropped when the recorder is behind, or never captured)
// still streams through MediaSource in Chromium and Firefox ESR: each frame lasts until the
// next one starts, so a gap in the timestamps is one buffered range and playback goes
// through it. With every frame lasting one frame period, both browsers' buffered ranges had
// holes and Firefox stopped playing at the first wide one (issue 18; docs/conformance.md
// decision 21).
//
//   MREC_RECORD_PUSHED_VIDEO=build-release/tests/record_pushed_video node --test tests/browser/mse_gaps.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openBrowserPages } from './helpers.mjs';
import { elements, streamThrough, videoFrames } from './mse.mjs';

const recorder = process.env.MREC_RECORD_PUSHED_VIDEO;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-mse-gaps-'));
const types = [['video/webm;codecs=vp8', 'video/webm; codecs="vp8"'],
               ['video/webm;codecs=vp9', 'video/webm; codecs="vp9"']];
const recordings = {};
let browsers;

// The Blobs of 6 s of frames pushed at 30 fps with 300 ms missing before 2.067 s (where a
// Blob begins) and at 3.4 s (inside one), and single frames missing at 1.2 s and 4.5 s.
function record(type, name) {
  const dir = path.join(work, name);
  execFileSync('mkdir', ['-p', dir]);
  execFileSync(recorder, [type, '1000', dir]);
  return readdirSync(dir).sort().map((file) => readFileSync(path.join(dir, file)));
}

// The Blobs with the DefaultDuration a live source's track has (33.333 ms, from its frame
// rate) added to the video TrackEntry of the first: pushed frames have no rate, so mrec
// writes none, but a camera's or the test pattern's track says it, and a frame lasting that
// long leaves a gap that Chromium holes and stalls at.
function withDefaultDuration([first, ...rest]) {
  const size = (n) => { const b = Buffer.alloc(8); b[0] = 1; b.writeUIntBE(n, 2, 6); return b; };
  const tracks = [...elements(first)].find(({ id }) => id === 0x1654ae6b);
  const entry = [...elements(tracks.data)].find(({ id }) => id === 0xae);
  const defaultDuration = Buffer.from([0x23, 0xe3, 0x83, 0x84, 0, 0, 0, 0]);
  defaultDuration.writeUInt32BE(33333000, 4);
  const body = Buffer.concat([entry.data, defaultDuration]);
  const newEntry = Buffer.concat([Buffer.from([0xae]), size(body.length), body]);
  const newTracks = Buffer.concat([Buffer.from([0x16, 0x54, 0xae, 0x6b]), size(newEntry.length), newEntry]);
  return [Buffer.concat([first.subarray(0, tracks.at), newTracks, first.subarray(tracks.end)]), ...rest];
}

before(async () => {
  assert.ok(recorder, 'MREC_RECORD_PUSHED_VIDEO must name the record_pushed_video program');
  for (const [type] of types) recordings[type] = record(type, type.replace(/\W/g, '-'));
  browsers = await openBrowserPages();
});

after(async () => {
  if (browsers) await browsers.close();
  rmSync(work, { recursive: true, force: true });
});

for (const [type, mimeType] of types) {
  for (const [track, edit] of [['', (blobs) => blobs],
                               [' whose track has a DefaultDuration', withDefaultDuration]]) {
    for (const player of ['Chromium', 'Firefox']) {
      test(`${player} buffers and plays live ${type}${track} with missing frames as one range`, async () => {
        const blobs = edit(recordings[type]);
        const times = videoFrames(blobs).flat().map((frame) => frame.time);
        // The gaps are in the file as pushed: frames keep their timestamps.
        const gaps = times.slice(1).map((time, i) => Math.round((time - times[i]) * 100) * 10)
                          .filter((step) => step > 40);
        assert.deepEqual(gaps, [70, 300, 300, 70], `frame times ${JSON.stringify(times)}`);
        assert.ok(blobs.length >= 5, `${blobs.length} Blobs`);
        const played = await browsers.pages[player].evaluate(streamThrough, {
          mimeType, blobs: blobs.map((blob) => blob.toString('base64')), play: true });
        const buffered = played.appended.at(-1);
        const trace = `buffered after each Blob: ${JSON.stringify(played.appended)}`;
        assert.equal(buffered.length, 1, trace);
        assert.ok(buffered[0][0] <= 0.05, trace);
        assert.ok(buffered[0][1] >= 5.95, trace);
        assert.ok(played.ended, `ended at ${played.currentTime} s; ${trace}`);
        assert.ok(played.currentTime >= 5.95, `ended at ${played.currentTime} s`);
        assert.ok(played.frames >= times.length - 5, `${played.frames} of ${times.length} video frames`);
      });
    }
  }
}
