// The interoperability matrix (issue 18, point 4), its browser half: every type mrec records
// that names its codecs, as a finished file and as a file cut off at 70 % of its bytes (what
// SIGKILL leaves) then repaired by `mrec fix`, plays to its end and seeks in Debian's
// Chromium and Firefox ESR, but for what a browser cannot play, listed below.
// The other half (ffprobe, GStreamer, libwebm) is EveryType/InteropMatrix in output_tests.
//
// Not named *.test.mjs: CTest runs it as Browser.InteropMatrix in the plain build only.
//   MREC=path/to/mrec node --test tests/browser/interop_matrix.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ffprobeDuration, openBrowserPages, playToEndAfterSeek } from './helpers.mjs';

const mrec = process.env.MREC;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-matrix-'));
const seconds = 1.5;
let browsers;

// What each browser cannot play, and says so at once (MEDIA_ERR_SRC_NOT_SUPPORTED): Firefox
// ESR has no PCM in WebM or Matroska (Chromium plays it, as it records it), so it refuses a
// PCM-only file and plays only the video of a video+PCM one. Everything else plays in both,
// Matroska included (Firefox reads it as WebM). A browser that starts playing a refused
// type fails the test too, so that this list stays true.
const refuses = {
  Chromium: () => false,
  Firefox: (type) => /codecs=pcm$/.test(type),
};

const isVideoCodec = (codec) => /^(vp8|vp9|av1|av01|avc1)/.test(codec);

function matrixTypes() {
  return execFileSync(mrec, ['types']).toString().split('\n')
    .filter((line) => line.startsWith('yes') && line.includes('codecs='))
    .map((line) => line.slice(3).trim())
    .filter((type, i, all) => all.indexOf(type) === i);
}

function extensionOf(type) {
  if (type.includes('/ogg')) return 'ogg';
  if (type.includes('/webm')) return 'webm';
  if (type.includes('/x-matroska')) return 'mkv';
  return 'mp4';
}

// Records `type` with exactly the kinds its codecs name: finished by `mrec record`, and
// streamed to stdout (as written live, never finished), cut and repaired by `mrec fix`.
function recordBoth(type) {
  const codecs = type.split('codecs=')[1].split(',');
  const sources = [];
  if (codecs.some((c) => !isVideoCodec(c))) sources.push('--tone', '440');
  if (codecs.some(isVideoCodec)) sources.push('--video', 'pattern');
  const args = ['record', '-q', ...sources, '--offline', '--duration', String(seconds),
                '--timeslice', '500', '--type', type];
  const stem = path.join(work, type.replace(/[^a-z0-9]/g, '-'));
  const finished = `${stem}-finished.${extensionOf(type)}`;
  execFileSync(mrec, [...args, '-o', finished]);
  const live = execFileSync(mrec, [...args, '-o', '-'], { maxBuffer: 64 << 20 });
  const cut = `${stem}-cut.${extensionOf(type)}`;
  writeFileSync(cut, live.subarray(0, Math.floor(live.length * 0.7)));
  execFileSync(mrec, ['fix', cut]);
  return { finished, cut, video: codecs.some(isVideoCodec) };
}

before(async () => {
  assert.ok(mrec, 'MREC must name the mrec binary');
  browsers = await openBrowserPages();
  for (const page of Object.values(browsers.pages))
    await page.setContent('<!DOCTYPE html><body></body>');
});

after(async () => {
  if (browsers) await browsers.close();
  rmSync(work, { recursive: true, force: true });
});

for (const type of matrixTypes()) {
  test(`${type}: finished and cut-off files play and seek in Chromium and Firefox ESR`, async () => {
    const files = recordBoth(type);
    for (const [name, page] of Object.entries(browsers.pages)) {
      for (const [kind, file] of [['finished', files.finished], ['cut and fixed', files.cut]]) {
        const label = `${name}, ${kind} ${path.basename(file)}`;
        const essence = type.split(';')[0];
        if (refuses[name](type)) {
          await assert.rejects(playToEndAfterSeek(page, file, essence), /media error 4/, label);
          continue;
        }
        const played = await playToEndAfterSeek(page, file, essence);
        assert.equal(played.error, null, label);
        // The finished file is all of it; the cut one keeps at least its first whole Blob,
        // and the browser reads the length ffprobe does.
        if (kind === 'finished')
          assert.ok(Math.abs(played.duration - seconds) < 0.05, `${label}: duration ${played.duration}`);
        else
          assert.ok(played.duration >= 0.45 && played.duration <= seconds, `${label}: duration ${played.duration}`);
        const probed = Number(ffprobeDuration(file));
        assert.ok(Math.abs(played.duration - probed) < 0.05, `${label}: ${played.duration} s, ffprobe ${probed} s`);
        assert.ok(Math.abs(played.afterSeek - played.duration / 2) < 0.1, `${label}: seeked to ${played.afterSeek}`);
        assert.ok(Math.abs(played.currentTime - played.duration) < 0.1, `${label}: ended at ${played.currentTime}`);
        if (files.video) {
          assert.equal(played.width, 640, label);
          assert.ok(played.frames >= 10, `${label}: ${played.frames} frames decoded`);
        }
      }
    }
  });
}
