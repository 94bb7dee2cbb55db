// What the browser tests share: starting the Dictaphone, playing a clip, playing a video file,
// ffprobe's duration of a file.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';

// ffprobe's duration of a file as it prints it: seconds, or 'N/A' for a file that says none.
export function ffprobeDuration(file) {
  return execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration',
                                  '-of', 'default=noprint_wrappers=1:nokey=1', file]).toString().trim();
}

// Debian's Chromium, headless, never a downloaded one; media plays without a gesture.
export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--autoplay-policy=no-user-gesture-required'],
  });
}

// Debian's Firefox ESR over WebDriver BiDi, with `prefs` on top of autoplay allowed.
// 'media.cubeb.force_mock_context': true stands in for the sound server there is none of,
// for a test whose audio must run (Firefox's AudioContext otherwise stays 'suspended').
export function launchFirefox(prefs = {}) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    extraPrefsFirefox: { 'media.autoplay.default': 0, ...prefs },
  });
}

// Polls `fn` in the page (Playwright's or Puppeteer's, whose waitForFunction differ) until it
// returns something truthy; that value. A timeout names what the page's status line said.
export async function waitInPage(page, fn, arg, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > end) {
      const said = await page.evaluate(() => document.querySelector('#message')?.textContent);
      throw new Error(`timed out waiting for ${fn}; the page says: ${JSON.stringify(said)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Opens the Dictaphone's page at `base` and waits until its controls have their places (it
// lists the server's inputs and formats after it shows, which moves the buttons): Puppeteer
// clicks where a button was when it looked.
export async function openDictaphonePage(page, base) {
  await page.goto(base);
  await waitInPage(page, () => document.body.dataset.ready === 'yes');
}

// Starts `mrec dictaphone` on a free loopback port (or `listen`, HOST:PORT), with `options`
// on its command line, and resolves with its process and base URL once it says where it
// listens.
export function startDictaphone(mrec, dataDir, env = process.env, options = [],
                                listen = '127.0.0.1:0') {
  return new Promise((resolve, reject) => {
    const child = spawn(mrec, ['dictaphone', '--listen', listen, '--data', dataDir, ...options],
                        { stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (match) resolve({ process: child, base: `http://127.0.0.1:${match[1]}` });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`mrec dictaphone exited (${code}): ${output}`)));
  });
}

// Runs in the page (pass it to page.evaluate with { name, playbackRate }): plays the named
// clip's <audio> to its end, muted as autoplay allows, then seeks to its middle. Rejects on
// a media error.
export async function playClipToEndAndSeek({ name, playbackRate }) {
  const article = [...document.querySelectorAll('.clip')]
    .find((a) => a.querySelector('.name').textContent === name);
  const audio = article.querySelector('audio');
  if (audio.readyState < 1) await new Promise((r) => audio.addEventListener('loadedmetadata', r, { once: true }));
  const duration = audio.duration;
  audio.muted = true;
  audio.playbackRate = playbackRate;
  const ended = new Promise((resolve, reject) => {
    audio.addEventListener('ended', resolve, { once: true });
    audio.addEventListener('error', () => reject(new Error(`media error ${audio.error && audio.error.code}`)), { once: true });
  });
  await audio.play();
  await ended;
  const seeked = new Promise((r) => audio.addEventListener('seeked', r, { once: true }));
  audio.currentTime = duration / 2;
  await seeked;
  return { duration, afterSeek: audio.currentTime, error: audio.error };
}

// Plays a video file in a page (Playwright's or Puppeteer's): its duration and size, where a
// seek to the middle lands, then from the start to the end at double speed, with the frames
// decoded and any media error.
export async function playToEndAfterSeek(page, file, type) {
  const base64 = readFileSync(file).toString('base64');
  return page.evaluate(async ([data, blobType]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const video = document.createElement('video');
    video.muted = true;
    video.src = URL.createObjectURL(new Blob([bytes], { type: blobType }));
    document.body.append(video);
    const failed = () => new Error(`media error ${video.error.code}: ${video.error.message}`);
    await new Promise((resolve, reject) => {
      video.onloadedmetadata = resolve;
      video.onerror = () => reject(failed());
    });
    const result = { duration: video.duration, width: video.videoWidth, height: video.videoHeight };
    const seeked = () => new Promise((resolve) => { video.onseeked = resolve; });
    let landed = seeked();
    video.currentTime = video.duration / 2;
    await landed;
    result.afterSeek = video.currentTime;
    landed = seeked();
    video.currentTime = 0;
    await landed;
    const ended = new Promise((resolve, reject) => {
      video.onended = resolve;
      video.onerror = () => reject(failed());
    });
    video.playbackRate = 2;
    await video.play();
    await ended;
    result.currentTime = video.currentTime;
    result.frames = video.getVideoPlaybackQuality().totalVideoFrames;
    result.error = video.error;
    video.remove();
    return result;
  }, [base64, type]);
}

// One Chromium page and one Firefox ESR page, as { pages: { Chromium, Firefox }, close() }.
// Firefox gets cubeb's mock context: with no sound server its audio output never starts
// (an AudioContext stays 'suspended', MediaSource audio never plays).
export async function openBrowserPages() {
  const chromiumBrowser = await launchChromium();
  const firefoxBrowser = await launchFirefox({ 'media.cubeb.force_mock_context': true });
  return {
    pages: { Chromium: await chromiumBrowser.newPage(), Firefox: await firefoxBrowser.newPage() },
    close: () => Promise.all([chromiumBrowser.close(), firefoxBrowser.close()]),
  };
}
