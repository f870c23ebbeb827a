// Starts the real signpost binary on a free loopback port against a fresh
// temporary database, and stops it again. Every test file owns one (or more)
// of these: start in before(), stop in after().

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BINARY = process.env.SIGNPOST_BINARY || path.join(REPO, 'build', 'signpost');

const LISTENING = /^signpost: listening on (http:\/\/127\.0\.0\.1:(\d+))\s*$/m;
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

// A fresh directory for a database; removed by the stop() of the server that
// created it (or by the caller, via the returned remove()).
export async function tempDir(prefix = 'signpost-test-') {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

// startServer({dbPath, args, env, keepDb}) -> {base, port, dbPath, stop, child, stderr()}
//  dbPath: an existing or wanted database path; default: a new temporary one.
//  args:   replaces the default argv (`serve --port 0 --bind 127.0.0.1 --db PATH`).
//  env:    extra environment variables.
//  keepDb: do not remove the temporary directory on stop (for restarts).
// Rejects, with the stderr so far, when the binary exits or does not print its
// listening line within 10 s.
export async function startServer(options = {}) {
  let ownDir = null;
  let dbPath = options.dbPath;
  if (!dbPath) {
    ownDir = await tempDir();
    dbPath = path.join(ownDir.dir, 'signpost.db');
  }
  const args = options.args || ['serve', '--port', '0', '--bind', '127.0.0.1', '--db', dbPath];
  const child = spawn(BINARY, args, {
    env: { ...process.env, ...(options.env || {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  // The access log goes to stdout: drain it, keeping only the tail.
  child.stdout.on('data', (d) => { stdout = (stdout + d).slice(-65536); });

  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  let base, port;
  try {
    ({ base, port } = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`signpost (${BINARY} ${args.join(' ')}) did not print its listening line ` +
          `within ${START_TIMEOUT_MS / 1000} s.\n--- stderr so far ---\n${stderr}\n--- stdout ---\n${stdout}`));
      }, START_TIMEOUT_MS);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot start ${BINARY}: ${err.message} (build it with \`make\`, ` +
          `or point SIGNPOST_BINARY at a binary)`));
      });
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = LISTENING.exec(stderr);
        if (m) { clearTimeout(timer); resolve({ base: m[1], port: Number(m[2]) }); }
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`signpost exited (code ${code}, signal ${signal}) before listening.\n` +
          `--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`));
      });
    }));
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (ownDir && !options.keepDb) await ownDir.remove();
    throw err;
  }

  let stopping = null;
  // Sends SIGTERM and waits for the process to end. Rejects if it is still
  // running after 10 s (it is then killed) or if it ends other than by a clean
  // exit(0) / the SIGTERM itself.
  async function stop() {
    if (stopping) return stopping;
    stopping = (async () => {
      let result;
      if (child.exitCode !== null || child.signalCode !== null) {
        result = { code: child.exitCode, signal: child.signalCode, alreadyDead: true };
      } else {
        child.kill('SIGTERM');
        let timer;
        const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS); });
        result = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        if (result === null) {
          child.kill('SIGKILL');
          await exited;
          if (ownDir && !options.keepDb) await ownDir.remove();
          throw new Error(`signpost did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM\n--- stderr ---\n${stderr}`);
        }
      }
      if (ownDir && !options.keepDb) await ownDir.remove();
      const clean = (result.code === 0 && !result.alreadyDead) || (result.signal === 'SIGTERM' && !result.alreadyDead);
      if (!clean) {
        throw new Error(`signpost ended badly (code ${result.code}, signal ${result.signal}` +
          `${result.alreadyDead ? ', before stop() was called' : ''})\n--- stderr ---\n${stderr}`);
      }
      return result;
    })();
    return stopping;
  }

  return {
    base, port, dbPath, child, stop,
    dir: ownDir ? ownDir.dir : path.dirname(dbPath),
    stderr: () => stderr,
    stdout: () => stdout,
  };
}
