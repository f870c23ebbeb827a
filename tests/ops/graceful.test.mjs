// Graceful shutdown: SIGTERM (and SIGINT) while slow requests are in
// flight. Every request the server has accepted is answered 200, the
// process exits 0 within 15 s, and SQLite's write-ahead log is checkpointed
// (the -wal file is empty or gone), so a copy of the .db alone is complete.
//
// Slow requests: a generated database of 20,000 organisations
// (tests/bench/gen.sh) where a full-text prefix search with 100 results
// costs tens of milliseconds; 20 of them with distinct q (so none is a
// response-cache hit) on 20 already-accepted keep-alive connections keep
// both worker threads busy for several hundred milliseconds. The signal is
// sent as soon as the first answer arrives, so the others are either being
// computed or waiting in their connection for a worker.
//
//   cd tests && node --test ops/graceful.test.mjs

import assert from 'node:assert/strict';
import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ORGS, bigDb, createToken, exitWithin, killAll, openConn, serve, tempDir,
} from './lib/ops.mjs';

const SLOW_TERMS = ['on', 'onl', 'online', 'he', 'hel', 'help', 'online safety', 'online help',
  'support', 'advice'];
const CONCURRENT = 20;

let tmp, template;

before(async () => {
  tmp = await tempDir('signpost-ops-graceful-');
  template = path.join(tmp.dir, 'template.db');
  await bigDb(template, 20000);
});

after(async () => {
  killAll();
  if (tmp) await tmp.remove();
});

async function walSize(db) {
  try {
    return (await stat(db + '-wal')).size;
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

async function drainUnder(signal) {
  const db = path.join(tmp.dir, `${signal}.db`);
  await copyFile(template, db);
  const token = await createToken(db, `ops-${signal}`);
  const srv = await serve({ db, args: ['--access-log', 'off'] });
  const conns = [];
  try {
    // A write, so the write-ahead log has something to checkpoint.
    const slug = `graceful-${signal.toLowerCase()}`;
    const w = await fetch(srv.base + ORGS, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug, name: `Graceful ${signal}`, kind: 'charity', coverage: 'UK', source: 'test' }),
    });
    assert.equal(w.status, 201, `create an organisation: ${await w.text()}`);
    const walBefore = await walSize(db);
    assert.ok(walBefore > 0, `the -wal file holds the write before the signal (size ${walBefore})`);

    // 20 connections, each accepted and used once, so none of the slow
    // requests below can be refused for arriving after the listener closes.
    for (let i = 0; i < CONCURRENT; i++) conns.push(await openConn({ port: srv.port }));
    const warm = await Promise.all(conns.map((c) => c.request('GET', '/healthz')));
    assert.deepEqual(warm.map((r) => r.status), Array(CONCURRENT).fill(200));

    const sentAt = Date.now();
    const answers = conns.map((c, i) => {
      const q = encodeURIComponent(SLOW_TERMS[i % SLOW_TERMS.length]);
      const p = `${ORGS}?q=${q}&per_page=100&page=${1 + Math.floor(i / SLOW_TERMS.length)}`;
      return c.request('GET', p).then((r) => ({ ...r, p }), (err) => ({ error: err.message, p }));
    });
    // Signal at the first answer: the rest are then in flight.
    const first = await Promise.race(answers);
    const signalledAt = Date.now();
    srv.signal(signal);
    const results = await Promise.all(answers);
    const exit = await exitWithin(srv.child, 15_000);
    const exitMs = Date.now() - signalledAt;

    const after = results.filter((r) => r.at === undefined || r.at > signalledAt);
    const bad = results.filter((r) => r.status !== 200);
    assert.deepEqual(bad.map((r) => `${r.p}: ${r.error || r.status}`), [],
      `every request in flight at ${signal} is answered 200 (first answer after ${first.at - sentAt} ms; ` +
      `${after.length} of ${CONCURRENT} answered after the signal)\n--- stderr ---\n${srv.stderr()}`);
    assert.ok(after.length >= 5, `at least 5 requests were still in flight at the signal (got ${after.length}): ` +
      'the requests are not slow enough for this test to mean anything');
    for (const r of results) assert.ok(JSON.parse(r.text).items.length > 0, `${r.p}: a full answer`);
    assert.ok(exit, `signpost exits within 15 s of ${signal}\n--- stderr ---\n${srv.stderr()}`);
    assert.deepEqual(exit, { code: 0, signal: null }, `signpost exits 0 after ${signal}\n--- stderr ---\n${srv.stderr()}`);
    const wal = await walSize(db);
    assert.ok(wal === null || wal === 0, `after ${signal} the -wal file is absent or empty (size ${wal}): checkpointed`);
    return { exitMs, inFlight: after.length };
  } finally {
    for (const c of conns) c.close();
    await srv.stop();
  }
}

describe('graceful shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`${signal} drains ${CONCURRENT} slow requests, exits 0 and checkpoints the WAL`, async (t) => {
      const { exitMs, inFlight } = await drainUnder(signal);
      t.diagnostic(`${inFlight} requests in flight at ${signal}; exited ${exitMs} ms after it`);
    });
  }
});
