// This device's microphone: the browser's own MediaRecorder, each Blob uploaded as it
// arrives (PUT /api/uploads/ID/chunks/SEQ, in order, retried with backoff while the server
// cannot be reached), and the input's waveform and level read with Web Audio's AnalyserNode.
'use strict';

const TIMESLICE_MS = 1000;
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 8000;
// While paused no Blob comes: the page says it is still there (GET /api/uploads/ID) every
// 5 s, or three times per upload timeout if the server's is shorter (60 s by default), so
// that the server never takes a paused clip for abandoned.
const HEARTBEAT_MS = 5000;

class UploadFailed extends Error {}

class DeviceRecorder {
  // onChange(): the pending bytes or the state changed; onFailure(message): the upload cannot
  // go on (the server refused it): the recording is stopped.
  constructor({ onChange, onFailure }) {
    this.onChange = onChange;
    this.onFailure = onFailure;
    this.stream = null;
    this.opening = null;
    this.recorder = null;
  }

  // Asks for the microphone and starts reading its level (the permission prompt shows here).
  // Record pressed while the input's own open is still asking waits for that one: a second
  // request would open a second stream that close() never stops.
  open() {
    if (!this.opening) {
      const opening = this.openStream(() => this.opening === opening).catch((error) => {
        if (this.opening === opening) this.opening = null;
        throw error;
      });
      this.opening = opening;
    }
    return this.opening;
  }

  async openStream(stillWanted) {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    if (!stillWanted()) {  // closed while the browser asked
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    this.stream = stream;
    this.context = new AudioContext();
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 2048;
    this.context.createMediaStreamSource(this.stream).connect(this.analyser);
    this.samples = new Float32Array(this.analyser.fftSize);
  }

  close() {
    this.opening = null;
    if (!this.stream) return;
    for (const track of this.stream.getTracks()) track.stop();
    this.context.close();
    this.stream = null;
  }

  // The last 2048 samples into `wave` (bytes, 128 is silence), and their peak (0..1).
  read(wave) {
    if (!this.stream) return 0;
    if (this.context.state === 'suspended') this.context.resume();
    this.analyser.getFloatTimeDomainData(this.samples);
    let peak = 0;
    for (let i = 0; i < this.samples.length; i++) {
      const sample = this.samples[i];
      peak = Math.max(peak, Math.abs(sample));
      if (i < wave.length) wave[i] = Math.max(0, Math.min(255, Math.round(128 + sample * 128)));
    }
    return peak;
  }

  get state() {
    return this.recorder ? this.recorder.state : 'inactive';
  }

  // Recorded time, paused spans left out.
  elapsed() {
    if (!this.recorder) return 0;
    const running = this.runningSince === null ? 0 : performance.now() - this.runningSince;
    return (this.recordedMs + running) / 1000;
  }

  // Bytes recorded and not yet acknowledged by the server.
  get pending() {
    return this.queue ? this.queue.reduce((sum, chunk) => sum + chunk.blob.size, 0) : 0;
  }

  // Records in `type` where the browser has it, else in the browser's own default.
  async start(type) {
    await this.open();
    clearInterval(this.heartbeat);  // a recording the server refused may have left one
    const options = type && MediaRecorder.isTypeSupported(type) ? { mimeType: type } : {};
    this.recorder = new MediaRecorder(this.stream, options);
    this.queue = [];
    this.sequence = 0;
    this.uploadId = null;
    this.failed = null;
    this.recordedMs = 0;
    this.runningSince = null;
    this.stopped = new Promise((resolve) => { this.recorder.onstop = resolve; });
    this.recorder.ondataavailable = (event) => {
      if (event.data.size === 0 || this.failed) return;
      this.queue.push({ sequence: this.sequence++, blob: event.data });
      this.onChange();
      this.pump();
    };
    // The type is known once the recorder has started (the default has no name before).
    const started = new Promise((resolve, reject) => {
      this.recorder.onstart = resolve;
      this.recorder.onerror = (event) => reject(event.error || new Error('recording failed'));
    });
    this.recorder.start(TIMESLICE_MS);
    await started;
    this.runningSince = performance.now();
    this.heartbeatMs = HEARTBEAT_MS;
    this.heartbeat = setInterval(() => this.sayAlive(), HEARTBEAT_MS);
    this.pump();
  }

  // The server's upload timeout, told when the upload is made.
  setTimeoutSeconds(seconds) {
    const every = Math.min(HEARTBEAT_MS, (seconds * 1000) / 3);
    if (!(every > 0) || every === this.heartbeatMs) return;
    this.heartbeatMs = every;
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.sayAlive(), every);
  }

  pause() {
    this.recorder.pause();
    this.recordedMs += performance.now() - this.runningSince;
    this.runningSince = null;
  }

  resume() {
    this.recorder.resume();
    this.runningSince = performance.now();
  }

  // Stops recording; resolves once the last Blob is queued (not yet uploaded).
  async stop() {
    if (this.recorder.state !== 'inactive') {
      if (this.runningSince !== null) this.recordedMs += performance.now() - this.runningSince;
      this.runningSince = null;
      this.recorder.stop();
    }
    await this.stopped;
  }

  // Waits for every Blob to be acknowledged, then finishes the clip as `name`.
  async finish(name) {
    await this.drained();
    clearInterval(this.heartbeat);
    const id = this.uploadId;
    this.recorder = null;
    this.onChange();
    if (this.failed) throw new UploadFailed(this.failed);
    if (!id) throw new UploadFailed('nothing was recorded');
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, LAST_RETRY_MS)) {
      const answer = await this.send('POST', `/api/uploads/${id}/finish`,
        JSON.stringify({ name }), 'application/json');
      if (answer) return answer;
      await sleep(delay);
    }
  }

  drained() {
    return new Promise((resolve) => {
      const check = () => {
        if (this.failed || (this.queue.length === 0 && this.uploadId)) resolve();
        else setTimeout(check, 100);
      };
      check();
    });
  }

  // One request; its JSON answer, or null when the server could not be reached (or is busy)
  // and the request should be tried again. A refusal throws UploadFailed, with a 409's
  // `expected` as its property.
  async send(method, path, body, type) {
    let response;
    try {
      response = await fetch(path, { method, body, headers: { 'Content-Type': type } });
    } catch {
      return null;  // the connection is down
    }
    const text = await response.text().catch(() => '');
    let data = {};
    try { data = text ? JSON.parse(text) : {}; } catch { data = {}; }
    if (response.ok) return data;
    if (response.status >= 500 && response.status !== 507 && response.status !== 500) return null;
    const error = new UploadFailed(data.message || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.expected = data.expected;
    throw error;
  }

  // Sends the queued Blobs in order, one at a time, until the queue is empty.
  async pump() {
    if (this.pumping) return;
    this.pumping = true;
    let delay = FIRST_RETRY_MS;
    try {
      while (!this.failed && (this.uploadId === null || this.queue.length > 0)) {
        let answer;
        let chunk = null;
        if (this.uploadId === null) {
          answer = await this.send('POST', '/api/uploads',
            JSON.stringify({ type: this.recorder.mimeType }), 'application/json');
          if (answer) {
            this.uploadId = answer.id;
            if (answer.timeout) this.setTimeoutSeconds(answer.timeout);
          }
        } else {
          chunk = this.queue[0];
          try {
            answer = await this.send('PUT', `/api/uploads/${this.uploadId}/chunks/${chunk.sequence}`,
              chunk.blob, 'application/octet-stream');
          } catch (error) {
            // The server has it already: our retry raced an answer that was lost.
            if (error.status === 409 && error.expected > chunk.sequence) answer = {};
            else throw error;
          }
          if (answer) this.queue.shift();
        }
        if (answer) {
          delay = FIRST_RETRY_MS;
          this.retrying = false;
        } else {
          this.retrying = true;
          this.onChange();
          await sleep(delay);
          delay = Math.min(delay * 2, LAST_RETRY_MS);
        }
        this.onChange();
      }
    } catch (error) {
      this.failed = error.message;
      clearInterval(this.heartbeat);
      if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
      this.onFailure(`The upload stopped: ${error.message}`);
    } finally {
      this.pumping = false;
    }
  }

  sayAlive() {
    if (this.uploadId && !this.failed && !this.pumping)
      fetch(`/api/uploads/${this.uploadId}`).catch(() => {});
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
