// Starts `mrec dictaphone` on a free loopback port for the browser tests and resolves with
// its process and base URL once it says where it listens.
import { spawn } from 'node:child_process';

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
