// Request framing read as RFC 9112 asks (issue 13, items 1 and 6): every
// request whose length or shape a proxy in front could read differently
// gets one answer, a 400 problem+json, and the connection is closed; a
// smuggled request in its body is never answered. Well-framed requests
// (Content-Length and chunked bodies, trailers, pipelining, keep-alive)
// still work. Raw sockets, so the bytes are exactly these.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './lib/server.mjs';

let srv, port;

before(async () => {
  srv = await startServer();
  port = Number(new URL(srv.base).port);
});
after(() => srv?.stop());

// Sends bytes and collects what comes back until the server closes the
// connection or waitMs pass. -> {text, closed, answers: [status...]}
function exchange(bytes, waitMs = 1500) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let closed = false;
    const sock = net.connect(port, '127.0.0.1', () => sock.write(bytes));
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const answers = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
      resolve({ text, closed, answers });
    };
    const timer = setTimeout(() => { sock.destroy(); done(); }, waitMs);
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', () => {});
    sock.on('close', () => { closed = true; done(); });
    sock.on('timeout', reject);
  });
}

const SMUGGLED = 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n';
const post = (fields, body = '') =>
  `POST /api/v1/reports HTTP/1.1\r\nHost: x\r\n${fields}\r\n${body}`;

const REFUSED = [
  ['Content-Length on an obs-folded line', post('Content-Length:\r\n 35\r\n', SMUGGLED)],
  ['a space before the colon of Transfer-Encoding, with Content-Length',
    post('Transfer-Encoding : chunked\r\nContent-Length: 5\r\n', `0\r\n\r\n${SMUGGLED}`)],
  ['a space before the colon of Content-Length, then another',
    post('Content-Length : 35\r\nContent-Length: 0\r\n', SMUGGLED)],
  ['Transfer-Encoding: chunked, identity', post('Transfer-Encoding: chunked, identity\r\n', '0\r\n\r\n')],
  ['Transfer-Encoding: identity, chunked', post('Transfer-Encoding: identity, chunked\r\n', '0\r\n\r\n')],
  ['Transfer-Encoding: gzip', post('Transfer-Encoding: gzip\r\n', '0\r\n\r\n')],
  ['Transfer-Encoding: gzip, chunked', post('Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n')],
  ['Transfer-Encoding: xchunked', post('Transfer-Encoding: xchunked\r\n', '0\r\n\r\n')],
  ['Transfer-Encoding:  chunked  (spaces around)', post('Transfer-Encoding:  chunked \r\n', '0\r\n\r\n')],
  ['Transfer-Encoding twice', post('Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n')],
  ['Content-Length and Transfer-Encoding', post('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n')],
  ['Content-Length twice, the same', post('Content-Length: 0\r\nContent-Length: 0\r\n')],
  ['Content-Length not a number', post('Content-Length: 1 2\r\n', '12')],
  ['a NUL in the target', 'GET /api/v1/organisations/nspcc\0../../x HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['a control character in the target', 'GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['two Host headers', 'GET /api/v1/organisations HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n'],
  ['a NUL in a header value', 'GET /api/v1/organisations HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n'],
  ['bare LF line ends', 'GET /api/v1/organisations HTTP/1.1\nHost: x\n\n'],
  ['a bare CR', 'GET /api/v1/organisations HTTP/1.1\r\nHost: x\rX: y\r\n\r\n'],
  ['an obs-fold in any header', 'GET /api/v1/organisations HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n'],
  ['an unknown HTTP version', 'GET /api/v1/organisations HTTP/1.2\r\nHost: x\r\n\r\n'],
  ['a malformed chunk size', post('Transfer-Encoding: chunked\r\n', `zz\r\n\r\n${SMUGGLED}`)],
  ['chunk data without its CRLF', post('Transfer-Encoding: chunked\r\n', `3\r\nabcX\r\n0\r\n\r\n${SMUGGLED}`)],
];

describe('request framing', () => {
  for (const [what, bytes] of REFUSED) {
    it(`refuses ${what} with one 400 and closes`, async () => {
      const r = await exchange(bytes);
      assert.deepEqual(r.answers, [400], r.text.slice(0, 300));
      assert.ok(r.closed, 'the connection is closed');
      assert.match(r.text, /Content-Type: application\/problem\+json/);
      const body = JSON.parse(r.text.slice(r.text.indexOf('\r\n\r\n') + 4));
      assert.equal(body.status, 400);
      assert.ok(body.detail.length > 10, body.detail);
      assert.doesNotMatch(r.text, /signpost_http_requests_total/, 'the smuggled request is never answered');
    });
  }

  it('serves the requests before a badly framed one, then refuses it and closes', async () => {
    const r = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' +
      'GET /api/v1/organisations HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n');
    assert.equal(r.answers[0], 200, r.text.slice(0, 200));
    assert.ok(r.answers.length <= 2 && r.answers.slice(1).every((s) => s === 400), String(r.answers));
    assert.ok(r.closed);
  });

  it('keeps well-framed requests working: bodies by length and by chunks, trailers, pipelining', async () => {
    const chunked = post('Transfer-Encoding: chunked\r\n',
      '5;ext=1\r\n{"a":\r\n3\r\n 1}\r\n0\r\nX-Trailer: yes\r\n\r\n');
    const bylength = post('Content-Length: 2\r\nContent-Type: application/json\r\n', '{}');
    const gets = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(3);
    const r = await exchange(`\r\n${chunked}${bylength}${gets}`, 1200);
    assert.equal(r.answers.length, 5, r.text.slice(0, 600));
    assert.ok(r.answers.slice(0, 2).every((s) => s !== 400 || !/framing|Transfer|Content-Length/.test(r.text)),
      String(r.answers));
    assert.deepEqual(r.answers.slice(2), [200, 200, 200]);
  });

  it('reads a request sent a byte at a time', async () => {
    const bytes = Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const answer = await new Promise((resolve) => {
      const chunks = [];
      const sock = net.connect(port, '127.0.0.1', async () => {
        for (const b of bytes) {
          sock.write(Buffer.from([b]));
          await new Promise((r) => setTimeout(r, 2));
        }
      });
      sock.on('data', (c) => {
        chunks.push(c);
        if (Buffer.concat(chunks).includes('\r\n\r\n')) { sock.destroy(); resolve(Buffer.concat(chunks).toString()); }
      });
    });
    assert.match(answer, /^HTTP\/1\.1 200 /);
  });
});
