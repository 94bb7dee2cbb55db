// What the Dictaphone's browser tests share: starting the server, and playing a clip.
import { spawn } from 'node:child_process';

// Starts `mrec dictaphone` on a free loopback port and resolves with its process and base
// URL once it says where it listens.
export function startDictaphone(mrec, dataDir, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(mrec, ['dictaphone', '--listen', '127.0.0.1:0', '--data', dataDir],
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
