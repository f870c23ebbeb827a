// Helpers for the operations tests (tests/ops): processes that are always
// killed, a server launcher that keeps the whole access log and can listen
// on any loopback address, the signpost CLI, raw HTTP over a socket (for
// requests node:http refuses to send), and bounded waiting.
//
// Every process started here is registered in `children` and killed by
// killAll(), which each test file calls from after() and which also runs on
// process exit, so nothing outlives a test run.

import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkResponse } from '../../http/lib/openapi.mjs';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BINARY = process.env.SIGNPOST_BINARY || path.join(REPO, 'build', 'signpost');
export const ORGS = '/api/v1/organisations';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Only loopback addresses are ever used.
export function assertLoopback(host) {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) throw new Error(`not a loopback address: ${host}`);
}

// ---- processes ---------------------------------------------------------------
const children = new Set();

// group: the child was spawned with detached: true (its own process group,
// e.g. nginx with its workers) and is killed with its whole group.
export function track(child, { group = false } = {}) {
  children.add(child);
  if (group) groups.add(child.pid);
  child.once('exit', () => children.delete(child));
  return child;
}
const groups = new Set();

// SIGKILLs every process still running that these helpers started (and the
// process groups of those started in their own group).
export function killAll() {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try { c.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }
  for (const pgid of groups) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
  }
  children.clear();
  groups.clear();
}
process.once('exit', killAll);

// Resolves {code, signal} when the child ends (at once if it has).
export function exitOf(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

// Resolves with the exit, or null after ms.
export async function exitWithin(child, ms) {
  let timer;
  const t = new Promise((resolve) => { timer = setTimeout(() => resolve(null), ms); });
  const r = await Promise.race([exitOf(child), t]);
  clearTimeout(timer);
  return r;
}

export async function tempDir(prefix = 'signpost-ops-') {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

// Runs `signpost ARGS...`; resolves {code, stdout, stderr}.
export function cli(args, { timeout = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = track(execFile(BINARY, args, { encoding: 'utf8', timeout, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(new Error(`signpost ${args.join(' ')}: ${err.message}\n${stderr}`));
        resolve({ code: err ? err.code : 0, stdout, stderr });
      }));
    return child;
  });
}

export async function cliOk(args) {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`signpost ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r;
}

export async function createToken(dbPath, name, role = 'editor') {
  const r = await cliOk(['token', 'create', '--name', name, '--role', role, '--db', dbPath]);
  const token = r.stdout.trim();
  if (!/^sp_[A-Za-z0-9_-]{20,}$/.test(token)) throw new Error(`token create printed ${JSON.stringify(r.stdout)}`);
  return token;
}

// Starts `signpost serve` on a free port of `bind` (default 127.0.0.1) with
// extra options. Keeps every stdout line (the JSON access log) and stderr.
// Returns {base, port, child, lines(), stderr(), waitStderr(re, ms), signal(),
// stop()}. stop() sends SIGTERM and, after 10 s, SIGKILL.
export async function serve({ db, bind = '127.0.0.1', args = [], startMs = 10_000 } = {}) {
  assertLoopback(bind);
  const argv = ['serve', '--port', '0', '--bind', bind, '--db', db, ...args];
  const child = track(spawn(BINARY, argv, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stderr = '';
  let partial = '';
  const lines = [];
  const waiters = new Set();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop();
    for (const p of parts) if (p) lines.push(p);
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const w of waiters) w();
  });
  // Resolves with the match once stderr (from offset `from`) matches re.
  function waitStderr(re, ms, from = 0) {
    return new Promise((resolve, reject) => {
      let timer;
      const check = () => {
        const m = re.exec(stderr.slice(from));
        if (m) { clearTimeout(timer); waiters.delete(check); resolve(m); }
      };
      timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`signpost ${argv.join(' ')}: no ${re} on stderr within ${ms} ms\n--- stderr ---\n${stderr}`));
      }, ms);
      waiters.add(check);
      exitOf(child).then(({ code, signal }) => {
        if (!waiters.has(check)) return;
        check();
        if (!waiters.has(check)) return;
        clearTimeout(timer);
        waiters.delete(check);
        reject(new Error(`signpost ${argv.join(' ')} exited (code ${code}, signal ${signal}) before ${re}\n--- stderr ---\n${stderr}`));
      });
      check();
    });
  }
  let m;
  try {
    m = await waitStderr(/signpost: listening on http:\/\/([0-9.]+):(\d+)\s*$/m, startMs);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const port = Number(m[2]);
  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
    child.kill('SIGTERM');
    const r = await exitWithin(child, 10_000);
    if (r) return r;
    child.kill('SIGKILL');
    return { ...(await exitOf(child)), killed: true };
  }
  return {
    base: `http://${bind}:${port}`, host: bind, port, child, db, stop, waitStderr,
    lines: () => lines.slice(),
    stderr: () => stderr,
    signal: (s) => child.kill(s),
  };
}

// ---- HTTP --------------------------------------------------------------------

// A raw HTTP/1.1 exchange over one socket: writes `head` (a string with the
// request line and headers, CRLF-separated, ending in a blank line) and then
// `body` (if any), and reads until the server closes or a full response has
// arrived. Resolves {status, headers, body, text}; errors writing the body
// after the server answered (EPIPE, ECONNRESET) are ignored. Rejects after
// timeoutMs.
export function rawExchange({ host = '127.0.0.1', port, head, body = null, localAddress, timeoutMs = 5000 }) {
  assertLoopback(host);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let done = false;
    const sock = net.connect({ host, port, localAddress });
    const timer = setTimeout(() => finish(new Error(`no complete answer within ${timeoutMs} ms to ${head.split('\r\n')[0].slice(0, 80)}`)), timeoutMs);
    function parse() {
      const buf = Buffer.concat(chunks);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const headText = buf.subarray(0, end).toString('latin1');
      const [statusLine, ...hl] = headText.split('\r\n');
      const sm = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
      if (!sm) return { error: new Error(`not an HTTP status line: ${statusLine}`) };
      const headers = {};
      for (const l of hl) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const bodyBuf = buf.subarray(end + 4);
      const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
      if (len !== null && bodyBuf.length < len) return null;
      const b = len !== null ? bodyBuf.subarray(0, len) : bodyBuf;
      return { status: Number(sm[1]), headers, body: b, text: b.toString('utf8'), complete: len !== null };
    }
    function finish(err, value) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err); else resolve(value);
    }
    sock.on('data', (d) => {
      chunks.push(d);
      const r = parse();
      if (r && r.error) finish(r.error);
      else if (r && r.complete) finish(null, r);
    });
    sock.on('end', () => {
      const r = parse();
      if (r && !r.error) finish(null, r);
      else finish(r?.error || new Error(`connection closed without an answer to ${head.split('\r\n')[0].slice(0, 80)}`));
    });
    sock.on('error', (err) => {
      const r = parse();
      if (r && !r.error) finish(null, r);
      else if (!['EPIPE', 'ECONNRESET'].includes(err.code) || chunks.length === 0) finish(err);
    });
    sock.on('connect', () => {
      sock.write(head);
      if (body) sock.write(body, () => {});
    });
  });
}

// Validates a raw answer against the OpenAPI document, like every other
// suite's answers.
export function checkRaw(method, p, r) {
  checkResponse(method, p, r.status, r.headers['content-type'] || null, r.text, r.headers);
  return r;
}

// Calls fn every intervalMs until it returns a truthy value (returned) or
// ms have passed (then throws with `what` and the last value or error).
export async function waitFor(what, fn, { ms = 5000, intervalMs = 100 } = {}) {
  const until = Date.now() + ms;
  let last;
  for (let i = 0; i < 10_000; i++) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) break;
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not within ${ms} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

// A free TCP port on host (bound and released: another process could take
// it in between; callers that can retry do).
export function freePort(host = '127.0.0.1') {
  assertLoopback(host);
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// One Prometheus sample's value (the first line starting with name).
export function metric(text, name) {
  const m = new RegExp(`^${name.replace(/[{}"\\]/g, '\\$&')} ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

// Builds a large database for tests that need slow (uncached, full-text)
// requests: tests/bench/gen.sh with N generated organisations.
export async function bigDb(out, n = 20000) {
  const gen = path.join(REPO, 'tests', 'bench', 'gen.sh');
  if (!existsSync(gen)) throw new Error(`${gen} is missing: it generates the large test database`);
  await new Promise((resolve, reject) => {
    const child = track(execFile(gen, [BINARY, out, String(n)], { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => (err ? reject(new Error(`gen.sh: ${err.message}\n${stderr}`)) : resolve())));
    return child;
  });
}

// One keep-alive HTTP/1.1 connection, for tests that must know a
// connection is already accepted before they do something (send a signal,
// for example). request(method, path, headers) resolves {status, headers,
// text} or rejects when the connection closes first; requests on one
// connection are sequential. Answers must carry Content-Length (signpost's
// do).
export function openConn({ host = '127.0.0.1', port, localAddress, timeoutMs = 20_000 }) {
  assertLoopback(host);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port, localAddress });
    let buf = Buffer.alloc(0);
    let pending = null;
    let closed = false;
    function settle(err, value) {
      const p = pending;
      pending = null;
      if (!p) return;
      clearTimeout(p.timer);
      if (err) p.reject(err); else p.resolve(value);
    }
    function parse() {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...hl] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers = {};
      for (const l of hl) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const len = Number(headers['content-length'] ?? NaN);
      if (!Number.isFinite(len)) { settle(new Error(`an answer without Content-Length: ${statusLine}`)); sock.destroy(); return; }
      if (buf.length < end + 4 + len) return;
      const body = buf.subarray(end + 4, end + 4 + len);
      buf = buf.subarray(end + 4 + len);
      settle(null, { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]), headers, text: body.toString('utf8'), at: Date.now() });
    }
    sock.on('data', (d) => { buf = Buffer.concat([buf, d]); parse(); });
    sock.on('close', () => { closed = true; settle(new Error('the connection closed before an answer')); });
    sock.on('error', () => {});
    let connected = false;
    sock.once('error', (err) => { if (!connected) reject(err); });
    sock.once('connect', () => (connected = true) && resolve({
      sock,
      closed: () => closed,
      request(method, p, headers = {}) {
        if (pending) return Promise.reject(new Error('one request at a time'));
        if (closed) return Promise.reject(new Error('the connection is closed'));
        return new Promise((res, rej) => {
          const timer = setTimeout(() => { settle(new Error(`${method} ${p}: no answer within ${timeoutMs} ms`)); }, timeoutMs);
          pending = { resolve: res, reject: rej, timer };
          const h = Object.entries({ host: `${host}:${port}`, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
          sock.write(`${method} ${p} HTTP/1.1\r\n${h}\r\n`);
        });
      },
      close: () => sock.destroy(),
    }));
  });
}
