// The connection limit (issue 13 item 2), from the outside, with
// --max-connections 60 so that it stays cheap, and connections from several
// 127.0.0.x addresses:
//  - by default an address may hold a sixteenth of the connections (3 of
//    60), so eight addresses holding all they can leave room, and another
//    address is served within 1 s;
//  - when every connection is open, the one idle longest between requests
//    is closed for a newcomer, who is served within 1 s; connections busy
//    with a request are never closed for it;
//  - when every connection is busy with a request, a newcomer gets a 503
//    problem+json with Retry-After at once (not a hang), counted in
//    /metrics; once slots free up, exactly that many newcomers get in.
// Libmicrohttpd alone, at its limit, stops accepting: the newcomer waited
// in the backlog, unanswered.
//
//   cd tests && node --test ops/connections.test.mjs

import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliOk, killAll, metric, openConn, rawExchange, serve, sleep, tempDir, waitFor } from './lib/ops.mjs';

const LIMIT = 60;
const QUICK_MS = 1000;

let tmp, db;

before(async () => {
  tmp = await tempDir('signpost-ops-connections-');
  db = path.join(tmp.dir, 'signpost.db');
  await cliOk(['migrate', '--db', db]);
});

after(async () => {
  killAll();
  if (tmp) await tmp.remove();
});

// Every socket a test opens, so that each is destroyed however it ends.
const sockets = new Set();
function closeAll() {
  for (const s of sockets) s.destroy();
  sockets.clear();
}

// A connection busy with a request: its request line and part of its
// headers, which never end (the server's --header-timeout is 30 s, longer
// than any test here). Resolves once connected with {closed(), answer()}:
// closed() says whether the server has closed it, answer() what it sent.
function busy(port, localAddress) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port, localAddress });
    sockets.add(sock);
    let closed = false;
    const got = [];
    sock.on('data', (d) => got.push(d));
    sock.on('close', () => { closed = true; });
    sock.on('error', () => {});
    sock.once('error', reject);
    sock.once('connect', () => {
      sock.write('GET /api/v1/organisations HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Still-Typing: ');
      resolve({ closed: () => closed, answer: () => Buffer.concat(got).toString('latin1'), sock });
    });
  });
}

// An idle keep-alive connection: one request answered, then nothing.
async function idle(port, localAddress) {
  const c = await openConn({ port, localAddress, timeoutMs: QUICK_MS });
  sockets.add(c.sock);
  const r = await c.request('GET', '/healthz');
  assert.equal(r.status, 200, `a keep-alive connection from ${localAddress} is served`);
  return c;
}

// One request on a new connection from localAddress, which must be answered
// within QUICK_MS. Resolves {status, headers, text, ms}.
async function quick(port, localAddress) {
  const t0 = performance.now();
  const r = await rawExchange({ port, localAddress, timeoutMs: QUICK_MS,
    head: 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' });
  return { ...r, ms: performance.now() - t0 };
}

const addr = (x) => `127.0.0.${x}`;

describe('the default per-address limit', () => {
  let srv;
  before(async () => {
    srv = await serve({ db, args: ['--max-connections', String(LIMIT), '--header-timeout', '30', '--access-log', 'off'] });
  });
  after(async () => {
    closeAll();
    if (srv) await srv.stop();
  });

  test('eight addresses opening all they can leave room: another address is served within 1 s', async (t) => {
    const perAddress = Math.floor(LIMIT / 16);
    const held = new Map();
    for (let x = 2; x <= 9; x++) {
      held.set(addr(x), await Promise.all(Array.from({ length: 10 }, () => busy(srv.port, addr(x)))));
    }
    await sleep(500); // the server has accepted (or refused) every one

    let r;
    try {
      r = await quick(srv.port, addr(20));
    } catch (err) {
      assert.fail(`with 8 addresses holding 10 connections each, 127.0.0.20 is not answered: ${err.message}`);
    }
    assert.equal(r.status, 200, '127.0.0.20 is served');
    assert.ok(r.ms < QUICK_MS, `127.0.0.20 is served within 1 s (${r.ms.toFixed(0)} ms)`);

    for (const [a, conns] of held) {
      const open = conns.filter((c) => !c.closed()).length;
      assert.equal(open, perAddress, `${a} holds ${perAddress} connections (a sixteenth of ${LIMIT}), not ${open}`);
    }
    t.diagnostic(`8 addresses x 10 connections: ${perAddress} each kept; 127.0.0.20 served in ${r.ms.toFixed(1)} ms`);
    closeAll();
  });
});

// A server whose every connection may come from one address (as behind a
// proxy), started before a describe's tests and stopped after them.
function fullServer() {
  const it = {};
  before(async () => {
    it.srv = await serve({ db, args: ['--max-connections', String(LIMIT), '--max-per-ip', '0', '--header-timeout', '30', '--access-log', 'off'] });
  });
  after(async () => {
    closeAll();
    if (it.srv) await it.srv.stop();
  });
  return it;
}

describe('when every connection is open', () => {
  const shared = fullServer();

  test('the connection idle longest is closed for a newcomer, and none busy with a request', async (t) => {
    // 20 idle keep-alive connections from four addresses, oldest first,
    // then 40 busy ones from four others: all 60 slots.
    const idles = [];
    for (let i = 0; i < 20; i++) {
      idles.push(await idle(shared.srv.port, addr(2 + (i % 4))));
      await sleep(5); // so that each went idle after the one before
    }
    const busies = [];
    for (let x = 6; x <= 9; x++) {
      busies.push(...await Promise.all(Array.from({ length: 10 }, () => busy(shared.srv.port, addr(x)))));
    }
    await sleep(300);
    assert.equal(idles.filter((c) => c.closed()).length, 0, 'every idle connection is open before the newcomers');
    assert.equal(busies.filter((c) => c.closed()).length, 0, 'every busy connection is open before the newcomers');

    // Three newcomers that stay open (so each needs a slot of its own).
    const newcomers = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      let c, r;
      try {
        c = await openConn({ port: shared.srv.port, localAddress: addr(30 + k), timeoutMs: QUICK_MS });
        sockets.add(c.sock);
        r = await c.request('GET', '/healthz');
      } catch (err) {
        assert.fail(`newcomer ${k + 1} from ${addr(30 + k)}, with all ${LIMIT} connections open, is not answered: ${err.message}`);
      }
      const ms = performance.now() - t0;
      assert.equal(r.status, 200, `newcomer ${k + 1} is served`);
      assert.ok(ms < QUICK_MS, `newcomer ${k + 1} is served within 1 s (${ms.toFixed(0)} ms)`);
      newcomers.push(c);
      t.diagnostic(`newcomer ${k + 1} (all ${LIMIT} open, 20 idle): served in ${ms.toFixed(1)} ms`);
    }
    await waitFor('the three longest-idle connections are closed', () => idles.slice(0, 3).every((c) => c.closed()), { ms: 2000, intervalMs: 20 });
    const closedIdle = idles.map((c, i) => (c.closed() ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(closedIdle, [0, 1, 2], 'the three connections idle longest, and only they, were closed');
    assert.equal(busies.filter((c) => c.closed()).length, 0, 'no connection busy with a request was closed');
    for (const c of newcomers) assert.equal(c.closed(), false, 'the newcomers stay open');
    // An idle connection that was kept still works.
    assert.equal((await idles[3].request('GET', '/healthz')).status, 200, 'a kept idle connection still serves');
    closeAll();
  });
});

describe('when every connection is busy with a request', () => {
  const shared = fullServer();

  test('a newcomer gets a 503 with Retry-After at once; freed slots are taken by exactly as many', async (t) => {
    const before503 = metric(await (await fetch(shared.srv.base + '/metrics')).text(), 'signpost_requests_total{route="-",status="503"}') ?? 0;
    await sleep(100); // the fetch's connection closes or goes idle (and may be reclaimed)

    const busies = [];
    for (let x = 2; x <= 7; x++) {
      busies.push(...await Promise.all(Array.from({ length: 10 }, () => busy(shared.srv.port, addr(x)))));
    }
    await sleep(300);
    assert.equal(busies.filter((c) => c.closed()).length, 0, `all ${LIMIT} busy connections are open`);

    let r;
    try {
      r = await quick(shared.srv.port, addr(40));
    } catch (err) {
      assert.fail(`with all ${LIMIT} connections busy, a newcomer is not answered: ${err.message}`);
    }
    assert.equal(r.status, 503, 'the newcomer is answered 503');
    assert.ok(r.ms < QUICK_MS, `the 503 comes within 1 s (${r.ms.toFixed(0)} ms)`);
    assert.match(r.headers['retry-after'] ?? '', /^[1-9][0-9]*$/, 'Retry-After gives whole seconds');
    assert.ok(Number(r.headers['retry-after']) <= 10, 'Retry-After asks for a few seconds');
    assert.equal(r.headers['content-type'], 'application/problem+json');
    assert.equal(r.headers.connection, 'close');
    assert.equal(r.headers['cache-control'], 'no-store');
    const problem = JSON.parse(r.text);
    assert.equal(problem.status, 503);
    assert.equal(problem.title, 'Service Unavailable');
    assert.equal(typeof problem.detail, 'string');
    t.diagnostic(`all ${LIMIT} busy: 503 in ${r.ms.toFixed(1)} ms, Retry-After ${r.headers['retry-after']}`);

    // More newcomers, all turned away at once; the busy ones are untouched.
    for (let k = 0; k < 19; k++) {
      const again = await quick(shared.srv.port, addr(41 + (k % 5)));
      assert.equal(again.status, 503, `newcomer ${k + 2} is answered 503`);
    }
    assert.equal(busies.filter((c) => c.closed()).length, 0, 'no busy connection was closed for a newcomer');

    // Ten slots free up: ten more busy connections get in, and the next
    // newcomer is turned away again (the 503s held no slot).
    for (const c of busies.splice(0, 10)) c.sock.destroy();
    await sleep(300);
    const more = await Promise.all(Array.from({ length: 10 }, () => busy(shared.srv.port, addr(50))));
    busies.push(...more);
    await sleep(300);
    assert.deepEqual(more.filter((c) => c.closed()).map((c) => c.answer().split('\r\n')[0]), [],
      'the ten connections taking the freed slots are all admitted');
    const full = await quick(shared.srv.port, addr(51));
    assert.equal(full.status, 503, 'with the slots taken again, a newcomer is answered 503');

    // Once busy connections end, newcomers are served again.
    // (Until the server has seen them close, a newcomer may still be
    // turned away: those 503s are counted too.)
    for (const c of busies.splice(0, 20)) c.sock.destroy();
    let seen503 = 21;
    await waitFor('a newcomer is served once slots are free', async () => {
      const s = (await quick(shared.srv.port, addr(52))).status;
      if (s === 503) seen503++;
      return s === 200;
    });
    closeAll();
    await sleep(200);
    const after503 = metric(await (await fetch(shared.srv.base + '/metrics')).text(), 'signpost_requests_total{route="-",status="503"}');
    assert.equal(after503 - before503, seen503, `/metrics counts the ${seen503} answers 503 (${before503} -> ${after503})`);
  });
});
