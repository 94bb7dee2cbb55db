// The Web dictaphone end to end: Debian's Chromium (driven by playwright-core) on the page of
// a real `mrec dictaphone`, whose input is a private PulseAudio daemon's null-sink monitor
// with a 440 Hz tone playing into it.
//
//   MREC=path/to/mrec ARTIFACTS=dir node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  openDictaphonePage, playClipToEndAndSeek, startDictaphone as startProcess,
} from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const daemonScript = path.join(here, '..', 'support', 'pulse-daemon.sh');
const mrec = process.env.MREC;
const artifacts = process.env.ARTIFACTS || path.join(tmpdir(), 'mrec-artifacts');
const work = mkdtempSync(path.join(tmpdir(), 'mrec-browser-'));
const dataDir = path.join(work, 'data');
const daemonDir = path.join(work, 'pulse');

let server;   // { process, base }
let browser;
let page;

function startDictaphone() {
  return startProcess(mrec, dataDir);
}

async function stopDictaphone() {
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');
  await exited;
}

async function clips() {
  const response = await fetch(`${server.base}/api/clips`);
  return response.json();
}

// Rows of the oscilloscope that hold some of the black line: a flat line covers a few, a
// 440 Hz wave at half scale a good part of the canvas.
async function oscilloscopeRows() {
  return page.evaluate(() => {
    const canvas = document.querySelector('.visualizer');
    const { width, height } = canvas;
    const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    let rows = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (pixels[i] < 60 && pixels[i + 1] < 60 && pixels[i + 2] < 60) { rows++; break; }
      }
    }
    return { rows, height };
  });
}

// Records about 2 s (1 s, a pause of `pauseFor` ms, 1 s when pausing) and names the clip.
// Returns the span of media the server can have recorded, in seconds: each click reaches the
// server somewhere between the moment before it and the moment the page shows its effect, so
// the recorded media lies in [min, max] however slow a loaded machine makes the clicks.
async function recordClip(name, { pauseFor = 0 } = {}) {
  const t0 = Date.now();
  await page.click('button.record');
  await page.waitForSelector('button.record.recording');
  const t1 = Date.now();
  assert.equal(await page.isDisabled('button.stop'), false);
  let min;
  let max;
  if (pauseFor) {
    await page.waitForTimeout(1000);
    const t2 = Date.now();
    await page.click('button.pause');
    await page.waitForFunction(() => document.querySelector('button.pause').textContent === 'Resume');
    const t3 = Date.now();
    await page.waitForTimeout(pauseFor);
    const t4 = Date.now();
    await page.click('button.pause');
    await page.waitForFunction(() => document.querySelector('button.pause').textContent === 'Pause');
    const t5 = Date.now();
    await page.waitForTimeout(1000);
    const t6 = Date.now();
    await page.click('button.stop');
    await page.waitForSelector('#name-dialog[open]');
    const t7 = Date.now();
    min = (t2 - t1) + (t6 - t5);
    max = (t3 - t0) + (t7 - t4);
  } else {
    await page.waitForTimeout(2000);
    const t2 = Date.now();
    await page.click('button.stop');
    await page.waitForSelector('#name-dialog[open]');
    const t3 = Date.now();
    min = t2 - t1;
    max = t3 - t0;
  }
  assert.equal(await page.inputValue('#clip-name'), 'My unnamed clip');
  await page.fill('#clip-name', name);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => [...document.querySelectorAll('.clip .name')]
    .some((e) => e.textContent === n), name);
  assert.equal(await page.isDisabled('button.stop'), true, 'Stop is disabled unless recording');
  return { min: min / 1000, max: max / 1000 };
}

// The clip holds the media recorded (within one 20 ms frame and a timer tick), and it is a
// clip of about 2 s: the asserts the issue asks for, made robust to slow clicks. Only the
// lower bound is fixed: on a loaded machine a click may take a second to reach the server,
// and what the server recorded then is longer, as the span says.
function assertRecordedSpan(clip, span) {
  assert.ok(clip.duration >= span.min - 0.1 && clip.duration <= span.max + 0.1,
            `clip duration ${clip.duration} s, recorded between ${span.min} and ${span.max} s`);
  assert.ok(clip.duration >= 1.9, `clip duration ${clip.duration}`);
}

// Plays the clip to its end (at 4x: the tests wait for it) and seeks to its middle.
function playAndSeek(name) {
  return page.evaluate(playClipToEndAndSeek, { name, playbackRate: 4 });
}

before(async () => {
  assert.ok(mrec, 'MREC must name the mrec binary');
  mkdirSync(artifacts, { recursive: true });
  const pulseServer = execFileSync(daemonScript, ['start', daemonDir]).toString().trim();
  process.env.PULSE_SERVER = pulseServer;
  execFileSync('sox', ['-n', '-r', '48000', '-c', '2', '-b', '16', path.join(work, 'tone.wav'),
                       'synth', '120', 'sine', '440', 'vol', '0.5']);
  execFileSync(daemonScript, ['play', daemonDir, path.join(work, 'tone.wav')]);
  server = await startDictaphone();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--autoplay-policy=no-user-gesture-required'],
  });
  page = await browser.newPage({ viewport: { width: 900, height: 700 }, deviceScaleFactor: 2 });
  page.on('pageerror', (error) => { throw error; });
  await openDictaphonePage(page, server.base);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await stopDictaphone().catch(() => {});
  try { execFileSync(daemonScript, ['stop', daemonDir]); } catch { /* already gone */ }
  rmSync(work, { recursive: true, force: true });
});

test('the page keeps the seed: title, layout and the info panel', async () => {
  assert.equal(await page.textContent('h1'), 'Web dictaphone');
  const heights = await page.evaluate(() => ({
    header: document.querySelector('header').getBoundingClientRect().height,
    controls: document.querySelector('.main-controls').getBoundingClientRect().height,
  }));
  assert.deepEqual(heights, { header: 70, controls: 170 });
  const panelX = () => page.evaluate(() => document.querySelector('aside').getBoundingClientRect().x);
  assert.ok(await panelX() >= 900, 'the panel starts off-screen to the right');
  await page.click('label[for=toggle]');
  await page.waitForFunction(() => document.querySelector('aside').getBoundingClientRect().x < 900 - 300);
  await page.click('label[for=toggle]');
  await page.waitForFunction(() => document.querySelector('aside').getBoundingClientRect().x >= 900);
});

test('the oscilloscope shows the input while the tone plays', async () => {
  await page.waitForFunction(() => document.querySelector('#input').options.length > 1);
  assert.equal(await page.inputValue('#input'), 'default');
  await page.waitForFunction(() => document.querySelector('#level-text').textContent !== '-inf dB');
  await page.waitForTimeout(300);
  const { rows, height } = await oscilloscopeRows();
  assert.ok(rows > height / 3, `the line spans ${rows} of ${height} rows`);
});

test('record 2 s, name it, play it to the end and seek to the middle', async () => {
  const span = await recordClip('Tone clip');
  const [clip] = await clips();
  assert.equal(clip.name, 'Tone clip');
  assertRecordedSpan(clip, span);
  const played = await playAndSeek('Tone clip');
  assert.ok(Math.abs(played.duration - clip.duration) <= 0.1,
            `the browser reads ${played.duration} s of ${clip.duration} s`);
  assert.ok(Math.abs(played.afterSeek - played.duration / 2) < 0.1, `seeked to ${played.afterSeek}`);
  assert.equal(played.error, null);
});

test('pause and resume leave the paused span out', async () => {
  // A long pause, so that even slow clicks leave the paused span clearly out.
  const pauseFor = 3000;
  const span = await recordClip('Paused clip', { pauseFor });
  const clip = (await clips()).find((c) => c.name === 'Paused clip');
  assertRecordedSpan(clip, span);
  assert.ok(span.max < 2 + pauseFor / 1000,
            `the clicks were quick enough to tell the pause from the rest (${span.max} s)`);
  const played = await playAndSeek('Paused clip');
  assert.ok(Math.abs(played.duration - clip.duration) <= 0.1,
            `the browser reads ${played.duration} s of ${clip.duration} s`);
  await page.screenshot({ path: path.join(artifacts, 'dictaphone-two-clips.png') });
});

test('rename and delete persist across a reload and a server restart', async () => {
  await page.click('.clip .name >> text=Tone clip');
  await page.waitForSelector('#name-dialog[open]');
  assert.equal(await page.inputValue('#clip-name'), 'Tone clip', 'prefilled with the name');
  await page.fill('#clip-name', '   ');
  await page.keyboard.press('Enter');  // an empty name is refused: the name stays
  await page.waitForSelector('#name-dialog[open]', { state: 'hidden' });
  assert.ok((await clips()).some((c) => c.name === 'Tone clip'));
  await page.click('.clip .name >> text=Tone clip');
  await page.fill('#clip-name', 'Renamed clip');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.clip .name >> text=Renamed clip');

  await page.click('.clip:has-text("Paused clip") button.delete');
  await page.waitForSelector('#message button >> text=Undo');
  await page.click('#message button >> text=Undo');  // Undo brings it back
  assert.equal(await page.isVisible('.clip:has-text("Paused clip")'), true);
  await page.click('.clip:has-text("Paused clip") button.delete');
  // The server forgets it once the Undo offer (5 s) has lapsed.
  for (let i = 0; i < 40 && (await clips()).length !== 1; i++) await page.waitForTimeout(250);
  assert.equal((await clips()).length, 1);

  await page.reload();
  await page.waitForSelector('.clip .name >> text=Renamed clip');
  assert.equal(await page.locator('.clip').count(), 1);

  await stopDictaphone();
  server = await startDictaphone();
  await openDictaphonePage(page, server.base);
  await page.waitForSelector('.clip .name >> text=Renamed clip');
  assert.equal(await page.locator('.clip').count(), 1);
  assert.equal(await page.getAttribute('.clip a', 'download'), 'Renamed clip.ogg');
});

test('R records and stops, but not while a name is typed', async () => {
  await page.click('h1');  // focus on the page, not a control
  await page.keyboard.press('r');
  await page.waitForSelector('button.record.recording');
  await page.waitForTimeout(500);
  await page.keyboard.press('r');
  await page.waitForSelector('#name-dialog[open]');
  await page.keyboard.type('rr');  // typed into the name (replacing the selected default)
  assert.equal(await page.inputValue('#clip-name'), 'rr');
  assert.equal(await page.isVisible('button.record.recording'), false, 'no new recording');
  await page.keyboard.press('Escape');  // Esc keeps the default name
  await page.waitForSelector('.clip .name >> text=My unnamed clip');
  assert.equal((await clips()).length, 2);
  assert.equal(await page.isVisible('button.record.recording'), false);
});

// MP4 is offered beside Ogg and WebM (AAC, labelled for iPhone and QuickTime, where the
// server's build records AAC): the clip is a finished MP4 that Chromium plays and seeks.
test('an MP4 clip plays to its end and seeks', async () => {
  await page.waitForFunction(() => [...document.querySelector('#format').options]
    .some((o) => o.value.startsWith('audio/mp4')));
  const option = await page.evaluate(() => [...document.querySelector('#format').options]
    .map((o) => ({ value: o.value, label: o.label })).find((o) => o.value.startsWith('audio/mp4')));
  if (option.value.includes('mp4a')) assert.match(option.label, /iPhone/);
  await page.selectOption('#format', option.value);
  const span = await recordClip('MP4 clip');
  await page.selectOption('#format', 'audio/ogg;codecs=opus');
  const clip = (await clips()).find((c) => c.name === 'MP4 clip');
  assert.equal(clip.type, option.value);
  assertRecordedSpan(clip, span);
  assert.equal(await page.getAttribute('.clip:has(.name:text-is("MP4 clip")) a', 'download'),
               'MP4 clip.mp4');
  const played = await playAndSeek('MP4 clip');
  assert.equal(played.error, null);
  assert.ok(Math.abs(played.duration - clip.duration) <= 0.1,
            `the browser reads ${played.duration} s of ${clip.duration} s`);
  assert.ok(Math.abs(played.afterSeek - played.duration / 2) < 0.1, `seeked to ${played.afterSeek}`);
});

// Issue 14, item 10: a recording the server ends by itself (here its input, the PulseAudio
// daemon, goes away) left the page stuck: Stop disabled, Record answered "already recording",
// the clip not listed. The page follows the server's events: the clip is listed, and Record
// records again once there is an input.
test('a lost input ends the recording: the clip is listed and Record works again', async () => {
  const before = (await clips()).length;
  await page.click('button.record');
  await page.waitForSelector('button.record.recording');
  await page.waitForTimeout(1500);
  execFileSync(daemonScript, ['stop', daemonDir]);
  await page.waitForSelector('button.record:not(.recording):not([disabled])', { timeout: 10000 });
  assert.equal(await page.isDisabled('button.stop'), true);
  await page.waitForFunction((n) => document.querySelectorAll('.clip').length === n, before + 1,
    { timeout: 10000 });
  assert.equal((await clips()).length, before + 1);

  const pulseServer = execFileSync(daemonScript, ['start', daemonDir]).toString().trim();
  assert.equal(pulseServer, process.env.PULSE_SERVER, 'the daemon is back where the server looks');
  execFileSync(daemonScript, ['play', daemonDir, path.join(work, 'tone.wav')]);
  await recordClip('after the loss');
  assert.equal((await clips()).length, before + 2);
});

// Issue 14, item 9: each tab's EventSource held one of the browser's six HTTP/1.1
// connections to the server, so a seventh tab never loaded. One tab of the browser listens
// and passes the events on; when it closes, another takes over.
test('eight tabs of one browser load, follow the monitor, and survive the leader closing', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  try {
    const tabs = [];
    for (let i = 0; i < 8; i++) {
      const tab = await context.newPage();
      tab.on('pageerror', (error) => { throw error; });
      await tab.goto(server.base, { timeout: 15000 });
      tabs.push(tab);
    }
    const levelShown = (tab) => tab.waitForFunction(
      () => document.querySelector('#level-text').textContent !== '-inf dB', null, { timeout: 10000 });
    for (const tab of tabs) {
      await tab.waitForFunction(() => document.querySelector('#input').options.length > 1, null,
                                { timeout: 10000 });
      await levelShown(tab);
    }
    const leaders = [];
    for (const [i, tab] of tabs.entries())
      if (await tab.evaluate(() => document.body.dataset.monitor === 'leader')) leaders.push(i);
    assert.equal(leaders.length, 1, `one tab listens to the server (tabs ${leaders})`);

    // A clip recorded in one tab appears in another, which follows the state from the events.
    const [recorder, watcher] = tabs.filter((_, i) => i !== leaders[0]);
    const before = (await clips()).length;
    assert.equal(await watcher.locator('.clip').count(), before);
    await recorder.click('button.record');
    await watcher.waitForSelector('button.record.recording', { timeout: 10000 });
    await recorder.waitForTimeout(1500);
    await recorder.click('button.stop');
    await recorder.waitForSelector('#name-dialog[open]');
    await recorder.fill('#clip-name', 'from another tab');
    await recorder.keyboard.press('Enter');
    // The watcher lists it when the server's state turns inactive, before the recorder's
    // tab names it (a rename elsewhere shows at the next reload).
    await watcher.waitForFunction((n) => document.querySelectorAll('.clip').length === n,
                                  before + 1, { timeout: 10000 });
    await recorder.waitForSelector('.clip .name >> text=from another tab');
    assert.equal((await clips()).length, before + 1);

    // The listening tab goes: another takes over, and the events keep coming.
    await tabs[leaders[0]].close();
    const rest = tabs.filter((_, i) => i !== leaders[0]);
    for (const tab of rest)
      await tab.evaluate(() => { document.querySelector('#elapsed').textContent = 'cleared'; });
    await recorder.click('button.record');
    for (const tab of rest) {
      await tab.waitForSelector('button.record.recording', { timeout: 10000 });
      await tab.waitForFunction(() => /^0:0[1-9]/.test(document.querySelector('#elapsed').textContent),
                                null, { timeout: 10000 });
    }
    const newLeaders = [];
    for (const tab of rest)
      if (await tab.evaluate(() => document.body.dataset.monitor === 'leader')) newLeaders.push(tab);
    assert.equal(newLeaders.length, 1, 'one of the other tabs listens now');
    await recorder.click('button.stop');
    await recorder.waitForSelector('#name-dialog[open]');
    await recorder.keyboard.press('Escape');
    await watcher.waitForSelector('button.record:not(.recording)', { timeout: 10000 });
  } finally {
    await context.close();
  }
});
