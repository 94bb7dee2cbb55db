// mrec's MP4, fragmented as recorded and finished by makeSeekable, parsed box by box by GPAC's
// mp4box.js (not a browser, not ffmpeg): no error, every track and sample where mrec put it.
//
//   MREC=path/to/mrec node --test tests/browser/
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const MP4Box = createRequire(import.meta.url)('mp4box');
const mrec = process.env.MREC;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-mp4box-'));

after(() => rmSync(work, { recursive: true, force: true }));

function parse(file) {
  const bytes = readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  buffer.fileStart = 0;
  const mp4 = MP4Box.createFile();
  const errors = [];
  let info = null;
  mp4.onError = (e) => errors.push(String(e));
  mp4.onReady = (i) => { info = i; };
  mp4.appendBuffer(buffer);
  mp4.flush();
  return { info, errors, boxes: mp4.boxes.map((b) => b.type) };
}

for (const [type, video] of [['audio/mp4;codecs=opus', false],
                             ['video/mp4;codecs=avc1,opus', true],
                             ['video/mp4;codecs=vp9,opus', true],
                             ['video/mp4;codecs=av01,opus', true]]) {
  test(`mp4box.js parses mrec's ${type}, fragmented and finished`, () => {
    const file = path.join(work, `${type.replace(/[^a-z0-9]/g, '-')}.mp4`);
    const args = ['record', '-q', '--tone', '440', '--offline', '--duration', '2', '--type', type];
    if (video) args.push('--video', 'pattern');
    // Streamed to stdout: the fragmented file exactly as the Blobs were delivered.
    const fragmented = path.join(work, 'fragmented.mp4');
    execFileSync('sh', ['-c', `"$0" "$@" -o - > '${fragmented}'`, mrec, ...args]);
    const live = parse(fragmented);
    assert.deepEqual(live.errors, []);
    assert.ok(live.info, 'mp4box.js found a movie');
    assert.equal(live.info.isFragmented, true);
    assert.deepEqual(live.boxes.slice(0, 3), ['ftyp', 'moov', 'moof']);

    execFileSync(mrec, [...args, '-o', file]);
    const finished = parse(file);
    assert.deepEqual(finished.errors, []);
    assert.deepEqual(finished.boxes, ['ftyp', 'free', 'mdat', 'moov']);
    assert.equal(finished.info.isFragmented, false);
    assert.equal(finished.info.tracks.length, video ? 2 : 1);
    assert.ok(Math.abs(finished.info.duration / finished.info.timescale - 2) < 0.001,
              `movie duration ${finished.info.duration / finished.info.timescale}`);
    for (const track of finished.info.tracks) {
      assert.ok(track.nb_samples > 0, `track ${track.id} has samples`);
      assert.ok(Math.abs(track.duration / track.timescale - 2) < 0.001 ||
                Math.abs(track.movie_duration / finished.info.timescale - 2) < 0.001,
                `track ${track.id} lasts ${track.movie_duration / finished.info.timescale} s`);
    }
    const codecs = finished.info.tracks.map((t) => t.codec.split('.')[0]).sort();
    const videoEntry = { avc1: 'avc1', vp9: 'vp09', av01: 'av01' }[type.split('=')[1].split(',')[0]];
    assert.deepEqual(codecs, video ? [videoEntry, 'Opus'].sort() : ['Opus']);
  });
}
