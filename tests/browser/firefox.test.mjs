// The Web dictaphone in Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi
// (no downloaded browser). No audio server here, so the page offers the built-in test tone
// and says that no input is available; then a clip is recorded, named, played and sought,
// and the page says so when the server goes away.
//
//   MREC=path/to/mrec node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  launchFirefox, openDictaphonePage, playClipToEndAndSeek, playToEndAfterSeek,
  startDictaphone as startProcess,
} from './helpers.mjs';

const mrec = process.env.MREC;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-firefox-'));
let server;
let browser;
let page;

function startDictaphone() {
  // No audio server: the page must offer the built-in tone and say no input is available.
  return startProcess(mrec, path.join(work, 'data'),
                      { ...process.env, PULSE_SERVER: `unix:${path.join(work, 'no-audio-server')}` });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  assert.ok(mrec, 'MREC must name the mrec binary');
  server = await startDictaphone();
  browser = await launchFirefox();
  page = await browser.newPage();
  await page.setViewport({ width: 900, height: 700 });
  await openDictaphonePage(page, server.base);
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.process.exitCode === null) server.process.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

test('with no audio server the test tone is offered and the page says why', async () => {
  assert.equal(await page.$eval('h1', (h) => h.textContent), 'Web dictaphone');
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('No audio input'));
  assert.equal(await page.$eval('#input', (s) => s.value), 'tone');
  await page.waitForFunction(() => document.querySelector('#level-text').textContent !== '-inf dB');
  const rows = await page.evaluate(() => {
    const canvas = document.querySelector('.visualizer');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let y = 0; y < canvas.height; y++)
      for (let x = 0; x < canvas.width; x++)
        if (pixels[(y * canvas.width + x) * 4] < 60) { count++; break; }
    return count / canvas.height;
  });
  assert.ok(rows > 1 / 3, `the oscilloscope's line spans ${rows} of its height`);
});

test('a clip recorded in Firefox plays to its end and seeks', async () => {
  // Each click reaches the server between the moment before it and the moment the page shows
  // its effect: the recorded media lies in [min, max] however slow a loaded machine is.
  const t0 = Date.now();
  await page.click('button.record');
  await page.waitForSelector('button.record.recording');
  const t1 = Date.now();
  await sleep(2000);
  const t2 = Date.now();
  await page.click('button.stop');
  await page.waitForSelector('#name-dialog[open]');
  const t3 = Date.now();
  const [min, max] = [(t2 - t1) / 1000, (t3 - t0) / 1000];
  await page.$eval('#clip-name', (input) => { input.value = ''; });
  await page.type('#clip-name', 'Firefox clip');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('.clip .name')]
    .some((e) => e.textContent === 'Firefox clip'));
  const played = await page.evaluate(playClipToEndAndSeek, { name: 'Firefox clip', playbackRate: 1 });
  // Stop is clicked about 2 s after Record; what the server recorded is the reference.
  const [clip] = await (await fetch(`${server.base}/api/clips`)).json();
  assert.ok(clip.duration >= min - 0.1 && clip.duration <= max + 0.1,
            `recorded ${clip.duration} s, between ${min} and ${max} s`);
  assert.ok(Math.abs(played.duration - clip.duration) <= 0.1,
            `Firefox reads ${played.duration} s of ${clip.duration} s`);
  assert.ok(Math.abs(played.afterSeek - played.duration / 2) < 0.1, `seeked to ${played.afterSeek}`);
});

test('the page says when the server is gone', async () => {
  server.process.kill('SIGTERM');
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('cannot be reached'),
                             { timeout: 10000 });
});

// mrec's MP4 of each video codec, finished by makeSeekable: Firefox ESR knows its length,
// seeks to the middle and plays it to the end.
for (const codec of ['avc1', 'vp9', 'av01']) {
  test(`Firefox plays mrec's video/mp4;codecs=${codec},opus to its end`, async () => {
    const file = path.join(work, `mrec-${codec}.mp4`);
    execFileSync(mrec, ['record', '-q', '--tone', '440', '--video', 'pattern', '--offline',
                        '--duration', '3', '--type', `video/mp4;codecs=${codec},opus`, '-o', file]);
    const player = await browser.newPage();
    await player.setContent('<!DOCTYPE html><body></body>');
    const played = await playToEndAfterSeek(player, file, 'video/mp4');
    await player.close();
    assert.equal(played.error, null);
    assert.equal(played.width, 640);
    assert.ok(Math.abs(played.duration - 3) < 0.05, `duration ${played.duration}`);
    assert.ok(Math.abs(played.afterSeek - 1.5) < 0.1, `seeked to ${played.afterSeek}`);
    assert.ok(Math.abs(played.currentTime - played.duration) < 0.05, `ended at ${played.currentTime}`);
    assert.ok(played.frames >= 45, `${played.frames} frames decoded`);
  });
}

