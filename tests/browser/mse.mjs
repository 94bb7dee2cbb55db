// What the MediaSource tests share: reading the video frames of WebM and MP4 Blobs, and
// appending Blobs to a MediaSource in a page.

function vint(bytes, at, keepMarker) {
  const length = Math.clz32(bytes[at]) - 23;
  let value = keepMarker ? bytes[at] : bytes[at] & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + bytes[at + i];
  return [value, length];
}

// A WebM's elements in order, stepping into the masters that lead to tracks and blocks; a live
// recording's Segment and Clusters have unknown sizes, so masters are never skipped whole.
export function* elements(bytes) {
  const masters = new Set([0x18538067, 0x1654ae6b, 0xae, 0x1f43b675, 0xa0]);
  for (let at = 0; at < bytes.length;) {
    const [id, idLength] = vint(bytes, at, true);
    const [size, sizeLength] = vint(bytes, at + idLength, false);
    const start = at + idLength + sizeLength;
    yield { id, at, end: start + size, data: bytes.subarray(start, start + size) };
    at = masters.has(id) ? start : start + size;
  }
}

// Each Blob's video frames, { time (s), key, duration (s, if its BlockGroup gives one) }; the
// track numbers come with the first Blob. A SimpleBlock has a key flag; a Block in a
// BlockGroup is a key frame unless the group has a ReferenceBlock.
export function videoFrames(blobs) {
  let track;
  let videoTrack;
  let cluster = 0;
  let group = null;
  return blobs.map((bytes) => {
    const frames = [];
    for (const { id, at, end, data } of elements(bytes)) {
      if (group && at >= group.end) group = null;
      if (id === 0xd7) track = data.readUIntBE(0, data.length);
      if (id === 0x83 && data[0] === 1) videoTrack = track;
      if (id === 0xe7) cluster = data.readUIntBE(0, data.length);
      if (id === 0xa0) group = { end };
      if (group?.frame && id === 0x9b) group.frame.duration = data.readUIntBE(0, data.length) / 1000;
      if (group?.frame && id === 0xfb) group.frame.key = false;
      if (id !== 0xa3 && id !== 0xa1) continue;
      const [number, length] = vint(data, 0, false);
      if (number !== videoTrack) continue;
      const frame = { time: (cluster + data.readInt16BE(length)) / 1000,
                      key: id === 0xa1 || data[length + 2] >= 0x80 };
      if (id === 0xa1 && group) group.frame = frame;
      frames.push(frame);
    }
    return frames;
  });
}

// An MP4's boxes in order, { type, at, end, data }, stepping into those in `into` (by default
// the ones that lead to a track's timescale and its fragments' samples).
export function* boxes(bytes, into = new Set(['moov', 'trak', 'mdia', 'mvex', 'moof', 'traf'])) {
  for (let at = 0; at + 8 <= bytes.length;) {
    let size = bytes.readUInt32BE(at);
    let start = at + 8;
    if (size === 1) [size, start] = [Number(bytes.readBigUInt64BE(at + 8)), at + 16];
    if (size === 0) size = bytes.length - at;
    const type = bytes.toString('latin1', at + 4, at + 8);
    yield { type, at, end: at + size, data: bytes.subarray(start, at + size) };
    at = into.has(type) ? start : at + size;
  }
}

// Each MP4 Blob's video frames, { time (s), key }, like videoFrames(): the video track, its
// timescale and its trex defaults come with the first Blob's moov; a sample is a key frame
// unless its flags say sample_is_non_sync_sample (ISO/IEC 14496-12 8.8.3.1).
export function mp4VideoFrames(blobs) {
  let track;
  let timescale;
  let video;
  let inVideo = false;
  let decode = 0;
  const trex = {};
  let defaults = trex;
  return blobs.map((bytes) => {
    const frames = [];
    for (const { type, data } of boxes(bytes)) {
      const flags = data.length >= 4 ? data.readUIntBE(1, 3) : 0;
      if (type === 'tkhd') track = data.readUInt32BE(data[0] ? 20 : 12);
      if (type === 'mdhd') timescale = data.readUInt32BE(data[0] ? 20 : 12);
      if (type === 'hdlr' && data.toString('latin1', 8, 12) === 'vide') video = { track, timescale };
      if (type === 'trex' && data.readUInt32BE(4) === video?.track)
        Object.assign(trex, { duration: data.readUInt32BE(12), flags: data.readUInt32BE(20) });
      if (type === 'tfhd') {
        inVideo = data.readUInt32BE(4) === video?.track;
        defaults = { ...trex };
        let at = 8 + (flags & 1 ? 8 : 0) + (flags & 2 ? 4 : 0);
        if (inVideo && flags & 8) defaults.duration = data.readUInt32BE(at);
        at += (flags & 8 ? 4 : 0) + (flags & 0x10 ? 4 : 0);
        if (inVideo && flags & 0x20) defaults.flags = data.readUInt32BE(at);
      }
      if (type === 'tfdt' && inVideo)
        decode = data[0] ? Number(data.readBigUInt64BE(4)) : data.readUInt32BE(4);
      if (type !== 'trun' || !inVideo) continue;
      // The optional fields, each 4 bytes, in the order of their flag bits.
      let at = 8;
      const field = (bit) => (flags & bit ? (at += 4) - 4 : undefined);
      field(0x1);
      const first = field(0x4);
      for (let i = 0; i < data.readUInt32BE(4); i++) {
        const [duration, , sample, offset] = [0x100, 0x200, 0x400, 0x800].map(field);
        const own = sample ?? (i === 0 ? first : undefined);
        const sampleFlags = own === undefined ? defaults.flags : data.readUInt32BE(own);
        const composition = offset === undefined ? 0
          : data[0] ? data.readInt32BE(offset) : data.readUInt32BE(offset);
        frames.push({ time: (decode + composition) / video.timescale, key: !(sampleFlags & 0x10000) });
        decode += duration === undefined ? defaults.duration : data.readUInt32BE(duration);
      }
    }
    return frames;
  });
}

// Runs in the page: appends the Blobs (base64) one by one, then, if asked, plays to the end at 4x.
export async function streamThrough({ mimeType, blobs, play }) {
  const video = document.createElement('video');
  video.muted = true;
  document.body.append(video);
  const source = new MediaSource();
  video.src = URL.createObjectURL(source);
  await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }));
  const buffer = source.addSourceBuffer(mimeType);
  const ranges = () => Array.from({ length: buffer.buffered.length },
                                  (_, i) => [buffer.buffered.start(i), buffer.buffered.end(i)]);
  const appended = [];
  for (const blob of blobs) {
    const bytes = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));
    await new Promise((resolve, reject) => {
      buffer.onupdateend = resolve;
      buffer.onerror = () => reject(new Error('appendBuffer failed'));
      buffer.appendBuffer(bytes);
    });
    appended.push(ranges());
  }
  // Read before endOfStream(): once ended, the last range reaches the end of the longest track,
  // so video that Firefox stopped buffering at 1 s would read as buffered to the audio's end.
  source.endOfStream();
  const result = { appended };
  if (play) {
    video.playbackRate = 4;
    const ended = new Promise((resolve) => { video.onended = () => resolve(true); });
    await video.play();
    const timeout = new Promise((resolve) => setTimeout(resolve, 10000, false));
    result.ended = await Promise.race([ended, timeout]);
    result.currentTime = video.currentTime;
    result.frames = video.getVideoPlaybackQuality().totalVideoFrames;
  }
  video.remove();
  return result;
}

