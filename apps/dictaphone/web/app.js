// The Web dictaphone's page: a remote control and player for the recorder in the server, or
// a recorder of this device's own microphone that uploads as it records (device.js).
'use strict';

const canvas = document.querySelector('.visualizer');
const recordButton = document.querySelector('.record');
const pauseButton = document.querySelector('.pause');
const stopButton = document.querySelector('.stop');
const inputSelect = document.querySelector('#input');
const formatSelect = document.querySelector('#format');
const clipList = document.querySelector('.sound-clips');
const message = document.querySelector('#message');
const elapsed = document.querySelector('#elapsed');
const level = document.querySelector('#level');
const levelText = document.querySelector('#level-text');
const clipMark = document.querySelector('#clip-mark');
const dialog = document.querySelector('#name-dialog');
const nameInput = document.querySelector('#clip-name');
const pendingText = document.querySelector('#pending');

// The input picker's entry for the browser's own microphone, beside the server's inputs.
const DEVICE_INPUT = 'device';
const device = new DeviceRecorder({
  onChange: showPending,
  onFailure: (text) => {
    say(text);
    showState();
  },
});
const usingDevice = () => inputSelect.value === DEVICE_INPUT;

const DEFAULT_NAME = 'My unnamed clip';
let state = 'inactive';
let wave = new Uint8Array(2048).fill(128);
let clipShownUntil = 0;
let busy = false;  // a request that changes the recording is on its way

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(data && data.message ? data.message : response.statusText);
  return data;
}

function say(text) {
  message.textContent = text || '';
}

// The name dialog: Enter accepts, Esc keeps the name it was opened with.
function askName(prompt, initial) {
  return new Promise((resolve) => {
    document.querySelector('#name-prompt').textContent = prompt;
    nameInput.value = initial;
    dialog.returnValue = '';
    dialog.addEventListener('close', () => {
      const name = nameInput.value.trim();
      resolve(dialog.returnValue === 'ok' && name ? name : initial);
    }, { once: true });
    dialog.showModal();
    nameInput.select();
  });
}

function showPending() {
  const bytes = device.pending;
  if (!device.recorder && bytes === 0) pendingText.textContent = '';
  else if (device.retrying) pendingText.textContent = `${(bytes / 1024).toFixed(1)} KiB not yet uploaded; retrying…`;
  else pendingText.textContent = bytes ? `${(bytes / 1024).toFixed(1)} KiB not yet uploaded` : 'all uploaded';
}

function formatDuration(seconds) {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(1).padStart(4, '0')}`;
}

function showState() {
  const active = state !== 'inactive';
  recordButton.classList.toggle('recording', active);
  recordButton.disabled = busy || active;
  stopButton.disabled = busy || !active;
  pauseButton.disabled = busy || !active;
  pauseButton.textContent = state === 'paused' ? 'Resume' : 'Pause';
  inputSelect.disabled = active;
  formatSelect.disabled = active;
}

function clipElement(clip) {
  const article = document.createElement('article');
  article.className = 'clip';
  article.dataset.id = clip.id;
  const audio = document.createElement('audio');
  audio.controls = true;
  audio.preload = 'metadata';
  audio.src = clip.url;
  const name = document.createElement('p');
  name.className = 'name';
  name.textContent = clip.name;
  name.title = 'Click to rename';
  name.tabIndex = 0;
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = `${formatDuration(clip.duration)} · ${new Date(clip.created).toLocaleString()}`;
  if (clip.interrupted) {
    const mark = document.createElement('span');
    mark.className = 'interrupted';
    mark.textContent = 'interrupted';
    mark.title = 'The recording ended without a stop (a crash, or the page went away): '
      + 'it keeps what reached the server.';
    meta.append(' · ', mark);
  }
  const download = document.createElement('a');
  download.href = clip.url;
  download.download = clip.download;
  download.textContent = 'Download';
  const remove = document.createElement('button');
  remove.className = 'delete';
  remove.textContent = 'Delete';

  const rename = async () => {
    const newName = await askName('Enter a new name for your sound clip', clip.name);
    if (newName === clip.name) return;
    try {
      clip = await api('PATCH', `/api/clips/${clip.id}`, { name: newName });
      name.textContent = clip.name;
      download.download = clip.download;
    } catch (error) {
      say(`Cannot rename: ${error.message}`);
    }
  };
  name.addEventListener('click', rename);
  name.addEventListener('keydown', (event) => { if (event.key === 'Enter') rename(); });
  remove.addEventListener('click', () => deleteWithUndo(article, clip));
  article.append(audio, name, meta, download, remove);
  return article;
}

// The clip disappears at once; the server forgets it only when the Undo offer has lapsed.
function deleteWithUndo(article, clip) {
  article.hidden = true;
  say(`Deleted “${clip.name}”.`);
  const undo = document.createElement('button');
  undo.textContent = 'Undo';
  message.append(undo);
  const timer = setTimeout(async () => {
    if (message.contains(undo)) say('');
    try {
      await api('DELETE', `/api/clips/${clip.id}`);
      article.remove();
    } catch (error) {
      article.hidden = false;
      say(`Cannot delete: ${error.message}`);
    }
  }, 5000);
  undo.addEventListener('click', () => {
    clearTimeout(timer);
    article.hidden = false;
    say('');
  });
}

async function loadClips() {
  const clips = await api('GET', '/api/clips');
  clipList.replaceChildren(...clips.map(clipElement));
}

async function loadInputs() {
  const [inputs, status] = await Promise.all([api('GET', '/api/inputs'), api('GET', '/api/status')]);
  inputSelect.replaceChildren(...inputs.map((input) => new Option(input.label, input.id)),
    new Option("This device's microphone", DEVICE_INPUT));
  const ids = inputs.map((input) => input.id);
  const wanted = ids.includes(status.input) ? status.input : (ids.includes('default') ? 'default' : 'tone');
  inputSelect.value = wanted;
  if (status.input !== wanted) await selectInput(wanted);
  if (ids.length === 1) say('No audio input is available here: the test tone is selected.');
}

async function selectInput(id) {
  if (id === DEVICE_INPUT) {
    try {
      await device.open();
      say('');
    } catch (error) {
      say(`Cannot open this device's microphone: ${error.message}`);
    }
    return;
  }
  device.close();
  try {
    await api('PUT', '/api/input', { id });
    say('');
  } catch (error) {
    say(`Cannot open the input: ${error.message}`);
  }
}

async function command(action) {
  busy = true;
  showState();
  try {
    await action();
  } catch (error) {
    say(error.message);
  } finally {
    busy = false;
    showState();
  }
}

async function record() {
  await command(async () => {
    if (usingDevice()) await device.start(formatSelect.value);
    else await api('POST', '/api/recording', { type: formatSelect.value });
    state = 'recording';
    say('');
  });
}

async function stop() {
  if (usingDevice()) return stopDevice();
  await command(async () => {
    const clip = await api('POST', '/api/recording/stop', {});
    state = 'inactive';
    showState();  // stopped already, while the name is asked
    const name = await askName('Enter a name for your sound clip', DEFAULT_NAME);
    if (name !== clip.name) await api('PATCH', `/api/clips/${clip.id}`, { name });
    await loadClips();
  });
}

// The name is asked while the last Blobs upload; the clip is finished once all are there.
async function stopDevice() {
  await command(async () => {
    await device.stop();
    state = 'inactive';
    showState();
    const name = await askName('Enter a name for your sound clip', DEFAULT_NAME);
    const clip = await device.finish(name);
    if (clip.message) say(clip.message);
    await loadClips();
  });
}

async function togglePause() {
  await command(async () => {
    const paused = state === 'paused';
    if (usingDevice()) {
      if (paused) device.resume(); else device.pause();
    } else {
      await api('POST', paused ? '/api/recording/resume' : '/api/recording/pause');
    }
    state = paused ? 'recording' : 'paused';
  });
}

recordButton.addEventListener('click', record);
stopButton.addEventListener('click', stop);
pauseButton.addEventListener('click', togglePause);
inputSelect.addEventListener('change', () => selectInput(inputSelect.value));

// R records and stops, but never while a name is being typed or a control has the keys.
document.addEventListener('keydown', (event) => {
  if (event.key !== 'r' && event.key !== 'R') return;
  if (event.ctrlKey || event.metaKey || event.altKey || dialog.open) return;
  const target = event.target;
  if (target.closest && target.closest('input, textarea, select, [contenteditable]')) return;
  event.preventDefault();
  if (busy) return;
  if (state === 'inactive') record(); else stop();
});

// The live monitor: the server's view of the input, about 30 times a second.
function showMonitor(data) {
  if (usingDevice()) {  // the server's input is not the one shown
    if (message.dataset.serverGone) say('');
    delete message.dataset.serverGone;
    return;
  }
  const bytes = atob(data.wave);
  const next = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) next[i] = bytes.charCodeAt(i);
  wave = next;
  if (!busy && data.state !== state) {
    // A recording the server ended by itself (a full disk, a lost input) is a clip now.
    if (data.state === 'inactive') loadClips().catch(() => {});
    state = data.state;
    showState();
  }
  elapsed.textContent = formatDuration(data.elapsed);
  showLevel(data.peak, data.clipped);
  if (data.message) say(data.message);
  else if (message.dataset.serverGone) say('');
  delete message.dataset.serverGone;
}

function showLevel(peak, clipped) {
  const db = peak > 0 ? 20 * Math.log10(peak) : -Infinity;
  level.style.width = `${Math.max(0, Math.min(100, (db + 60) / 60 * 100))}%`;
  levelText.textContent = Number.isFinite(db) ? `${db.toFixed(1)} dB` : '-inf dB';
  if (clipped) clipShownUntil = performance.now() + 2000;
  clipMark.classList.toggle('off', performance.now() >= clipShownUntil);
}

// This device's input, read by the page itself once a frame.
function showDevice() {
  const peak = device.read(wave);
  showLevel(peak, peak >= 0.999);
  elapsed.textContent = formatDuration(device.elapsed());
  if (device.state !== state && !busy) {  // a refused upload stopped the recorder
    state = device.state;
    showState();
  }
}

function showMonitorLost() {
  say('The Dictaphone server cannot be reached; retrying…');
  message.dataset.serverGone = '1';
}

// Each EventSource holds one of the browser's six HTTP/1.1 connections to the server, and
// the server streams to a few monitors only: one tab of the browser (the one holding the Web
// Lock) listens and passes every event on to the other tabs over a BroadcastChannel. When it
// closes, its lock is released and the next tab in line takes over. (issue 14, items 8, 9)
const MONITOR = 'mrec-dictaphone-monitor';

function openMonitor(channel) {
  const events = new EventSource('/api/monitor');
  events.onmessage = (event) => {
    if (channel) channel.postMessage({ event: event.data });
    showMonitor(JSON.parse(event.data));
  };
  events.onerror = () => {
    if (channel) channel.postMessage({ lost: true });
    showMonitorLost();
    // A refusal (503: too many monitors) ends an EventSource for good: try again later.
    if (events.readyState === EventSource.CLOSED) setTimeout(() => openMonitor(channel), 5000);
  };
}

function listen() {
  // Web Locks need a secure context (loopback is one): elsewhere each tab listens itself.
  if (!navigator.locks || typeof BroadcastChannel !== 'function') {
    openMonitor(null);
    return;
  }
  const channel = new BroadcastChannel(MONITOR);
  let leading = false;
  channel.onmessage = ({ data }) => {
    if (leading) return;
    if (data.lost) showMonitorLost();
    else if (data.event) showMonitor(JSON.parse(data.event));
  };
  // The lock is held until the tab goes: the promise never settles.
  navigator.locks.request(MONITOR, () => new Promise(() => {
    leading = true;
    document.body.dataset.monitor = 'leader';
    openMonitor(channel);
  }));
}

// The seed's oscilloscope: light grey, a black 2px line, the last 2048 samples, every frame.
function draw() {
  if (usingDevice()) showDevice();
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(canvas.clientWidth * ratio);
  const height = Math.round(canvas.clientHeight * ratio);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext('2d');
  context.fillStyle = 'rgb(200, 200, 200)';
  context.fillRect(0, 0, width, height);
  context.lineWidth = 2 * ratio;
  context.strokeStyle = 'rgb(0, 0, 0)';
  context.beginPath();
  const sliceWidth = width / wave.length;
  let x = 0;
  for (let i = 0; i < wave.length; i++) {
    const y = (wave[i] / 128.0) * height / 2;
    if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
    x += sliceWidth;
  }
  context.lineTo(width, height / 2);
  context.stroke();
  requestAnimationFrame(draw);
}

showState();
listen();
requestAnimationFrame(draw);
const inputsListed = loadInputs().catch((error) => say(`Cannot list the inputs: ${error.message}`));
// The page lists Ogg and WebM itself; the server adds the formats its build records (MP4).
const formatsListed = api('GET', '/api/formats').then((formats) => {
  const listed = new Set([...formatSelect.options].map((option) => option.value));
  for (const format of formats)
    if (!listed.has(format.type)) formatSelect.add(new Option(format.label, format.type));
}).catch((error) => say(`Cannot list the formats: ${error.message}`));
const clipsListed = loadClips().catch((error) => say(`Cannot list the clips: ${error.message}`));
// The listed inputs and formats widen their selects and move the buttons beside them (or wrap
// them to the next line): the page says when its controls have their places, for whatever
// clicks them by position (the browser tests' Puppeteer does).
Promise.all([inputsListed, formatsListed, clipsListed]).then(() => {
  document.body.dataset.ready = 'yes';
});
