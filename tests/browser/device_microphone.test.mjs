// This device's microphone, end to end: the page records with the browser's own
// MediaRecorder and uploads each Blob as it arrives to a real `mrec dictaphone`. Chromium's
// fake microphone plays a 440 Hz tone made here; Firefox ESR's fake stream is told to make
// one of 440 Hz too.
//
//   MREC=path/to/mrec ARTIFACTS=dir node --test tests/browser/device_microphone.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ffprobeDuration, launchFirefox, openDictaphonePage, playClipToEndAndSeek, startDictaphone,
         waitInPage } from './helpers.mjs';

const mrec = process.env.MREC;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-device-'));
const dataDir = path.join(work, 'data');
const tone = path.join(work, 'tone.wav');
const UPLOAD_TIMEOUT_S = 3;
const XSS_NAME = '<img src=x onerror=alert(1)>';

let server;  // { process, base }
let chromiumBrowser;
let firefoxBrowser;

async function clips() {
  return (await fetch(`${server.base}/api/clips`)).json();
}

async function waitFor(fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Opens the page and picks this device's microphone.
async function openDevicePage(browser) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  page.on('dialog', (dialog) => errors.push(new Error(`a dialog opened: ${dialog.message()}`)));
  await openDictaphonePage(page, server.base);
  await page.evaluate(() => {
    const select = document.querySelector('#input');
    select.value = 'device';
    select.dispatchEvent(new Event('change'));
  });
  return { page, errors };
}

// Waits until the page's clock (its own recorder's time, pauses left out) shows `seconds`.
function waitForClock(page, seconds) {
  return waitInPage(page, (s) => {
    const [minutes, rest] = document.querySelector('#elapsed').textContent.split(':');
    return Number(minutes) * 60 + Number(rest) >= s;
  }, seconds, 30000);
}

async function recordFor(page, seconds) {
  await page.click('button.record');
  await waitInPage(page, () => document.querySelector('button.record').classList.contains('recording'));
  await waitForClock(page, seconds);
}

async function stopAndName(page, name) {
  await page.click('button.stop');
  await waitInPage(page, () => document.querySelector('#name-dialog').open);
  await page.evaluate((n) => {
    document.querySelector('#clip-name').value = n;
    document.querySelector('#name-dialog button[value=ok]').click();
  }, name);
  await waitInPage(page, (n) => [...document.querySelectorAll('.clip .name')]
    .some((e) => e.textContent === n), name);
}

function download(clip, file) {
  return fetch(`${server.base}${clip.url}`).then(async (response) => {
    assert.equal(response.status, 200);
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  });
}

// The decoded tone's frequency from its rising zero crossings, the first half second left out.
function pitch(file) {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-ac', '1',
                                      '-ar', '48000', '-'], { maxBuffer: 64 << 20 });
  const samples = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4).subarray(24000);
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 && samples[i] >= 0) crossings++;
  return crossings / (samples.length / 48000);
}

before(async () => {
  assert.ok(mrec, 'MREC must name the mrec binary');
  execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', tone, 'synth', '60', 'sine',
                       '440', 'vol', '0.5']);
  server = await startDictaphone(mrec, dataDir, process.env,
                                 ['--upload-timeout', String(UPLOAD_TIMEOUT_S)]);
  chromiumBrowser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--autoplay-policy=no-user-gesture-required', '--use-fake-ui-for-media-stream',
           '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${tone}`],
  });
  firefoxBrowser = await launchFirefox({
    'media.navigator.streams.fake': true,
    'media.navigator.audio.fake_frequency': 440,  // its fake microphone's tone, 1 kHz else
    'media.navigator.permission.disabled': true,
    'media.cubeb.force_mock_context': true,
  });
});

after(async () => {
  if (chromiumBrowser) await chromiumBrowser.close();
  if (firefoxBrowser) await firefoxBrowser.close();
  if (server) server.process.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

for (const [browserName, name] of [['Chromium', 'Chromium take'], ['Firefox', XSS_NAME]]) {
  test(`${browserName}: record 3 s from this device, name it; it plays, seeks, lasts 3 s`, async (t) => {
    const browser = browserName === 'Chromium' ? chromiumBrowser : firefoxBrowser;
    const { page, errors } = await openDevicePage(browser);
    await recordFor(page, 3);
    await stopAndName(page, name);
    const clip = (await clips()).find((c) => c.name === name);
    assert.ok(clip, `listed: ${JSON.stringify(await clips())}`);
    assert.equal(clip.interrupted, false);
    const file = path.join(work, `${browserName}.${clip.download.split('.').pop()}`);
    await download(clip, file);
    const duration = Number(ffprobeDuration(file));
    assert.ok(Math.abs(duration - 3) <= 1, `ffprobe duration ${duration} s, 3 s recorded`);
    assert.ok(Math.abs(clip.duration - duration) < 0.05, `listed ${clip.duration}, file ${duration}`);
    t.diagnostic(`${clip.type}: ffprobe ${duration} s, listed ${clip.duration} s`);
    if (browserName === 'Chromium')
      assert.match(clip.type, /webm/, 'Chromium has no Ogg recorder: its default, WebM');
    else
      assert.match(clip.type, /ogg/, 'Firefox records the chosen Ogg Opus');
    const hz = pitch(file);
    t.diagnostic(`decoded pitch ${hz.toFixed(2)} Hz`);
    assert.ok(Math.abs(hz - 440) < 5, `decoded pitch ${hz} Hz`);
    const played = await page.evaluate(playClipToEndAndSeek, { name, playbackRate: 4 });
    assert.ok(Number.isFinite(played.duration), `the page's player has a duration: ${played.duration}`);
    assert.ok(Math.abs(played.afterSeek - played.duration / 2) < 0.3, JSON.stringify(played));
    t.diagnostic(`played: ${JSON.stringify(played)}`);
    // The name is text, never markup: no image, no alert.
    const shown = await page.evaluate(() => ({
      images: document.querySelectorAll('.sound-clips img').length,
      names: [...document.querySelectorAll('.clip .name')].map((e) => e.textContent),
    }));
    assert.equal(shown.images, 0);
    assert.ok(shown.names.includes(name));
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// The pause is longer than the server's upload timeout: the page's heartbeat keeps the
// upload open (without it the clip would be finished as interrupted during the pause).
test('Chromium: pause and resume leave the paused span out of the upload', async (t) => {
  const { page, errors } = await openDevicePage(chromiumBrowser);
  await recordFor(page, 1);
  await page.click('button.pause');
  await waitInPage(page, () => document.querySelector('button.pause').textContent === 'Resume');
  await new Promise((resolve) => setTimeout(resolve, (UPLOAD_TIMEOUT_S + 2) * 1000));
  await page.click('button.pause');
  await waitInPage(page, () => document.querySelector('button.pause').textContent === 'Pause');
  await waitForClock(page, 2);
  await stopAndName(page, 'paused take');
  const clip = (await clips()).find((c) => c.name === 'paused take');
  t.diagnostic(`paused take: ${clip.duration} s, interrupted ${clip.interrupted}`);
  assert.equal(clip.interrupted, false, 'the upload outlived a pause longer than its timeout');
  assert.ok(clip.duration >= 1.7 && clip.duration <= 3.2,
            `2 s recorded around a ${UPLOAD_TIMEOUT_S + 2} s pause: ${clip.duration} s`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Chromium: a tab closed after 4 s of recording leaves an interrupted clip of >= 3 s',
  async (t) => {
    const before = new Set((await clips()).map((c) => c.id));
    const { page } = await openDevicePage(chromiumBrowser);
    await recordFor(page, 4);
    await page.close();
    const clip = await waitFor(async () => (await clips()).find((c) => !before.has(c.id)),
                               (UPLOAD_TIMEOUT_S + 10) * 1000);
    assert.ok(clip, 'the clip is kept after the upload timeout');
    assert.equal(clip.interrupted, true);
    t.diagnostic(`closed tab: ${clip.duration} s, interrupted ${clip.interrupted}`);
    assert.ok(clip.duration >= 3, `duration ${clip.duration} s`);
    const file = path.join(work, 'closed.webm');
    await download(clip, file);
    const duration = Number(ffprobeDuration(file));
    assert.ok(duration >= 3, `ffprobe duration ${duration} s`);
    const hz = pitch(file);
    assert.ok(Math.abs(hz - 440) < 5, `decoded pitch ${hz} Hz`);
    // The page shows the mark.
    const { page: viewer } = await openDevicePage(chromiumBrowser);
    const mark = await waitInPage(viewer, (id) => {
      const article = document.querySelector(`.clip[data-id="${id}"]`);
      return article && article.querySelector('.interrupted')?.textContent;
    }, clip.id);
    assert.equal(mark, 'interrupted');
    await viewer.close();
  });

// The server goes away for a moment in the middle of a recording: the page keeps the Blobs,
// retries with backoff until the server is back on the same address, and the restarted
// server has kept the upload open, so the clip goes on and is finished whole.
test('Chromium: a server restarted mid-recording is reached again and the clip is whole',
  async (t) => {
    const { page, errors } = await openDevicePage(chromiumBrowser);
    await recordFor(page, 2);
    const port = new URL(server.base).port;
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    server.process.kill('SIGKILL');
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const waiting = await page.evaluate(() => document.querySelector('#pending').textContent);
    t.diagnostic(`while the server is down the page says: ${waiting}`);
    assert.match(waiting, /not yet uploaded/);
    server = await startDictaphone(mrec, dataDir, process.env,
                                   ['--upload-timeout', String(UPLOAD_TIMEOUT_S)],
                                   `127.0.0.1:${port}`);
    await waitForClock(page, 6);
    await stopAndName(page, 'across a restart');
    const clip = (await clips()).find((c) => c.name === 'across a restart');
    assert.ok(clip, JSON.stringify(await clips()));
    assert.equal(clip.interrupted, false);
    const file = path.join(work, 'restart.webm');
    await download(clip, file);
    const duration = Number(ffprobeDuration(file));
    t.diagnostic(`across a restart: ffprobe ${duration} s, listed ${clip.duration} s`);
    assert.ok(Math.abs(duration - 6) <= 1, `6 s recorded, ffprobe says ${duration} s`);
    const hz = pitch(file);
    assert.ok(Math.abs(hz - 440) < 5, `decoded pitch ${hz} Hz`);
    assert.deepEqual(errors, []);
    await page.close();
  });
