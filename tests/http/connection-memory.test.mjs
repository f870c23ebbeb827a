// The per-connection memory limit (issue 13, item 10): a flag names it, a
// value too small for the longest target is refused at start, and by
// default the memory follows --max-target, so that the longest target the
// server accepts is answered, never reset without an answer.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startServer, tempDir, BINARY } from './lib/server.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

async function serveWith(extra) {
  const dir = await tempDir();
  const s = await startServer({ args: ['serve', '--port', '0', '--bind', '127.0.0.1', '--db', path.join(dir.dir, 'db'), ...extra] });
  servers.push({ stop: async () => { await s.stop(); await dir.remove(); } });
  return s;
}

// The status line of the answer to GET target, or '' when the connection
// ends without one.
function statusOf(port, target) {
  return new Promise((resolve) => {
    let data = '';
    const sock = net.connect(port, '127.0.0.1', () => sock.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    sock.on('data', (c) => { data += c.toString('latin1'); });
    sock.on('error', () => {});
    sock.on('close', () => resolve(data.split('\r\n')[0]));
    setTimeout(() => sock.destroy(), 3000);
  });
}

describe('the memory per connection', () => {
  it('is a flag of serve, and a value too small for the target is refused', () => {
    const help = spawnSync(BINARY, ['--help'], { encoding: 'utf8' });
    assert.match(help.stdout + help.stderr, /--connection-memory-kb N/);
    const bad = spawnSync(BINARY, ['serve', '--port', '0', '--max-target', '60000', '--connection-memory-kb', '64'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /too small for --max-target 60000/);
    const nan = spawnSync(BINARY, ['serve', '--port', '0', '--connection-memory-kb', 'lots'], { encoding: 'utf8' });
    assert.equal(nan.status, 2);
  });

  it('follows --max-target by default: the longest target gets an answer', async () => {
    const s = await serveWith(['--max-target', '60000']);
    const port = Number(new URL(s.base).port);
    const target = `/api/v1/organisations?x=${'a'.repeat(59000)}`;
    assert.match(await statusOf(port, target), /^HTTP\/1\.1 200 /);
    assert.match(await statusOf(port, `${target}${'b'.repeat(2000)}`), /^HTTP\/1\.1 414 /);
  });

  it('can be set larger', async () => {
    const s = await serveWith(['--max-target', '20000', '--connection-memory-kb', '128']);
    const port = Number(new URL(s.base).port);
    assert.match(await statusOf(port, `/api/v1/organisations?x=${'c'.repeat(19000)}`), /^HTTP\/1\.1 200 /);
  });
});
