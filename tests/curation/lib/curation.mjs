// Helpers for the curation (write API) tests: the signpost CLI, tokens,
// authenticated requests, and a request that sends only its headers.
// Every HTTP answer goes through checkResponse() (tests/http/lib), so it is
// validated against the OpenAPI document like every other test's.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { get } from '../../http/lib/http.mjs';
import { checkResponse } from '../../http/lib/openapi.mjs';
import { BINARY, startServer, tempDir } from '../../http/lib/server.mjs';

export { get, startServer, tempDir, BINARY };
export const ORGS = '/api/v1/organisations';

// Runs `signpost ARGS...`; resolves {code, stdout, stderr} (never rejects on
// a non-zero exit).
export function cli(args, { timeout = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(BINARY, args, { encoding: 'utf8', timeout, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

// `signpost token create`: returns the token printed on stdout.
export async function createToken(dbPath, name, role = 'editor') {
  const r = await cli(['token', 'create', '--name', name, '--role', role, '--db', dbPath]);
  assert.equal(r.code, 0, `token create ${name}: ${r.stderr}`);
  const token = r.stdout.trim();
  assert.match(token, /^sp_[A-Za-z0-9_-]{43}$/, `the printed token: ${JSON.stringify(r.stdout)}`);
  return token;
}

export const sha256hex = (s) => createHash('sha256').update(s).digest('hex');

// A temporary directory with a database path in it (not yet created).
export async function tempDb(prefix = 'signpost-curation-') {
  const t = await tempDir(prefix);
  return { ...t, dbPath: path.join(t.dir, 'signpost.db') };
}

// An HTTP request through fetch (and so through checkResponse).
//  token: sends Authorization: Bearer token; json: a value sent as JSON
//  (Content-Type application/json unless contentType says otherwise);
//  body: a raw string body; ifMatch: sends If-Match.
export async function call(base, method, urlPath, { token, json, body, contentType, ifMatch, headers = {} } = {}) {
  const h = { ...headers };
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  if (ifMatch !== undefined) h['if-match'] = ifMatch;
  let payload = body;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    h['content-type'] = contentType || 'application/json';
  } else if (contentType) {
    h['content-type'] = contentType;
  }
  return get(base + urlPath, { method, headers: h, body: payload });
}

// Asserts what every answer to a write (POST, PUT, PATCH, DELETE) must have:
// Cache-Control: no-store and no CORS headers.
export function assertWriteHeaders(r, what = '') {
  const where = `${what} -> ${r.status}`;
  assert.equal(r.headers.get('cache-control'), 'no-store', `Cache-Control: ${where}`);
  assert.equal(r.headers.get('access-control-allow-origin'), null, `no Access-Control-Allow-Origin: ${where}`);
  assert.equal(r.headers.get('access-control-expose-headers'), null, `no Access-Control-Expose-Headers: ${where}`);
}

// The ETag without the gzip variant's suffix.
export const plainTag = (t) => (t || '').replace(/-gz"$/, '"');

// A valid organisation body with a unique slug.
export function newOrg(slug, extra = {}) {
  return {
    slug,
    name: `Test organisation ${slug}`,
    summary: 'A record made by the curation tests.',
    description: 'It exists to be created, changed, archived and restored.',
    website: 'https://example.org/' + slug,
    kind: 'charity',
    coverage: 'UK',
    source: 'The curation tests',
    audiences: ['parents'],
    topics: ['cyberbullying'],
    contacts: [
      { kind: 'phone', label: 'Helpline', value: '0808 800 5000', hours: 'Mon to Fri, 9am to 5pm' },
      { kind: 'email', label: 'Email', value: 'help@example.org', hours: null },
    ],
    ...extra,
  };
}

// Sends a request's headers and, only if sendBody, its body; resolves with
// the answer (validated) as soon as it arrives. Rejects after timeoutMs if
// no answer comes (for example because the server waits for the body).
export function headersOnly(base, { method, path: p, headers = {}, sendBody = null, timeoutMs = 5000 }) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn, v) => { if (!done) { done = true; clearTimeout(timer); fn(v); } };
    const req = http.request({ host: u.hostname, port: u.port, method, path: p, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', () => {});
      res.on('end', () => {
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          checkResponse(method, p, res.statusCode, res.headers['content-type'] || null, text, res.headers);
          finish(resolve, { status: res.statusCode, headers: res.headers, text, json: JSON.parse(text || 'null') });
        } catch (err) {
          finish(reject, err);
        }
      });
    });
    // Once the server has answered and closed, writing the rest of a body
    // may fail (EPIPE, ECONNRESET): that is expected.
    req.on('error', (err) => finish(reject, err));
    const timer = setTimeout(() => {
      req.destroy();
      finish(reject, new Error(`${method} ${p}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.flushHeaders();
    if (sendBody) req.write(sendBody, () => {});
  });
}

// Today's date in UTC, YYYY-MM-DD.
export const todayUtc = () => new Date().toISOString().slice(0, 10);

// A small seeded PRNG (mulberry32): returns a function giving [0, 1).
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// RFC 4180 CSV into rows of fields (CRLF or LF line ends).
export function parseCsv(text) {
  const rows = [];
  let row = [], field = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// Writes rows as RFC 4180 CSV with CRLF line ends (quoting only as needed).
export function writeCsv(rows) {
  const cell = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
