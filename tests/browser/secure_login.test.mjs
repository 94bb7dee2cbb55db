// The Dictaphone beyond loopback, in Chromium: `mrec dictaphone --listen 0.0.0.0:0` opened at
// this machine's network address, as a phone would. The page is HTTPS (a self-signed
// certificate, accepted as a user would after comparing its fingerprint), asks for the
// password, and once logged in is a secure context: this device's microphone records.
//
//   MREC=path/to/mrec node --test tests/browser/secure_login.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { waitInPage } from './helpers.mjs';

const mrec = process.env.MREC;
const work = mkdtempSync(path.join(tmpdir(), 'mrec-secure-'));
const tone = path.join(work, 'tone.wav');
const PASSWORD = 'a-phone-on-the-lan';

let server;
let browser;
let base;  // https://ADDRESS:PORT, ADDRESS not loopback

// An IPv4 address of this machine that is not loopback: what a phone on the network uses.
function networkAddress() {
  for (const addresses of Object.values(networkInterfaces()))
    for (const address of addresses)
      if (address.family === 'IPv4' && !address.internal) return address.address;
  return null;
}

before(async () => {
  assert.ok(mrec, 'MREC must name the mrec binary');
  const address = networkAddress();
  assert.ok(address, 'this machine has a network address besides loopback');
  execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', tone, 'synth', '60', 'sine',
                       '440', 'vol', '0.5']);
  server = spawn(mrec, ['dictaphone', '--listen', '0.0.0.0:0', '--data', path.join(work, 'data')],
                 { stdio: ['ignore', 'pipe', 'pipe'],
                   env: { ...process.env, MREC_DICTAPHONE_PASSWORD: PASSWORD } });
  const port = await new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/Web dictaphone at https:\/\/\S+:(\d+)\//);
      if (match) resolve(match[1]);
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`mrec dictaphone exited (${code}): ${output}`)));
  });
  base = `https://${address}:${port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
           `--use-file-for-fake-audio-capture=${tone}`],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

test('Chromium at a network address: HTTPS, a login, then this device records', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/login', 'the page sends to the login');

  await page.fill('input[name=password]', 'not the password');
  await page.click('button[type=submit]');
  await page.waitForSelector('.login-message:not(:empty)');
  assert.match(await page.textContent('.login-message'), /Wrong password/);
  assert.equal((await context.cookies()).length, 0);

  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
  await waitInPage(page, () => document.body?.dataset.ready === 'yes');
  assert.equal(await page.evaluate(() => window.isSecureContext), true);
  const [cookie] = await context.cookies();
  assert.equal(cookie.name, 'mrec_session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '', 'no script reads it');

  // This device's microphone: getUserMedia, which a non-loopback http:// page may not call.
  await page.evaluate(() => {
    const select = document.querySelector('#input');
    select.value = 'device';
    select.dispatchEvent(new Event('change'));
  });
  await page.click('button.record');
  await waitInPage(page, () => {
    const [minutes, rest] = document.querySelector('#elapsed').textContent.split(':');
    return Number(minutes) * 60 + Number(rest) >= 2;
  }, undefined, 30000);
  await page.click('button.stop');
  await waitInPage(page, () => document.querySelector('#name-dialog').open);
  await page.evaluate(() => {
    document.querySelector('#clip-name').value = 'From the network';
    document.querySelector('#name-dialog button[value=ok]').click();
  });
  const clip = await waitInPage(page, async () => {
    const clips = await (await fetch('/api/clips')).json();
    return clips.find((c) => c.name === 'From the network' && c.duration > 0);
  }, undefined, 30000);
  assert.ok(Math.abs(clip.duration - 2) < 1, `the clip lasts ${clip.duration} s`);
  assert.equal(clip.interrupted, false);
  await context.close();
});
