// Helpers shared by the test files: walking the list, parsing Link headers,
// asserting problem documents, querying the test database.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { get, qs } from './http.mjs';

export const ORGS = '/api/v1/organisations';

// Every organisation matching params (all pages at per_page=100), in order.
// Returns {items, total, first} where first is the first page's body.
export async function listAll(base, params = {}) {
  const items = [];
  let first = null;
  for (let page = 1; ; page++) {
    const r = await get(base + ORGS + qs({ ...params, page: String(page), per_page: '100' }));
    assert.equal(r.status, 200, `GET ${ORGS}${qs(params)} page ${page}: ${r.text}`);
    first ||= r.json;
    items.push(...r.json.items);
    if (r.json.items.length === 0 || items.length >= r.json.total) break;
  }
  assert.equal(items.length, first.total, `walking ${qs(params)}: items seen vs total`);
  return { items, total: first.total, first };
}

export const slugsOf = (items) => items.map((x) => x.slug);
export const idsOf = (items) => items.map((x) => x.id);

// Parses a Link header into {rel: uri}.
export function parseLink(header) {
  assert.ok(header, 'a Link header');
  const links = {};
  for (const part of header.split(/,\s*(?=<)/)) {
    const m = /^\s*<([^>]*)>\s*;\s*rel="?([^";]+)"?\s*$/.exec(part);
    assert.ok(m, `a well-formed Link entry: ${part}`);
    assert.ok(!(m[2] in links), `rel=${m[2]} appears once in ${header}`);
    links[m[2]] = m[1];
  }
  return links;
}

// Asserts r is an RFC 9457 problem answer with the given status.
export function assertProblem(r, status, what = '') {
  const label = `${what} -> ${r.status} ${r.text?.slice(0, 300)}`;
  assert.equal(r.status, status, `status: ${label}`);
  const ct = r.headers.get ? r.headers.get('content-type') : r.headers['content-type'];
  assert.equal(ct, 'application/problem+json; charset=utf-8', `content type: ${label}`);
  const p = r.json;
  assert.ok(p && typeof p === 'object', `a JSON problem body: ${label}`);
  assert.equal(typeof p.type, 'string', `type: ${label}`);
  assert.equal(typeof p.title, 'string', `title: ${label}`);
  assert.ok(p.title.length > 0, `title non-empty: ${label}`);
  assert.equal(p.status, status, `status member: ${label}`);
  assert.equal(typeof p.detail, 'string', `detail: ${label}`);
  assert.ok(p.detail.length > 0, `detail non-empty: ${label}`);
  return p;
}

// Asserts a 400 invalid-parameters problem whose errors name exactly `names`
// (a list; order not significant) in `where` ('query' or 'path').
export function assertInvalidParams(r, names, where = 'query', what = '') {
  const p = assertProblem(r, 400, what);
  assert.equal(p.type, '/problems/invalid-parameters', `type: ${what}`);
  assert.equal(p.title, 'Invalid parameters', `title: ${what}`);
  assert.ok(Array.isArray(p.errors) && p.errors.length > 0, `errors[]: ${what}: ${r.text}`);
  for (const e of p.errors) {
    assert.equal(typeof e.name, 'string', `errors[].name: ${what}`);
    assert.equal(e.in, where, `errors[].in: ${what}: ${r.text}`);
    assert.equal(typeof e.reason, 'string', `errors[].reason: ${what}`);
    assert.ok(e.reason.length > 0, `errors[].reason non-empty: ${what}`);
  }
  if (names) {
    assert.deepEqual(p.errors.map((e) => e.name).sort(), [...names].sort(), `error names: ${what}: ${r.text}`);
  }
  return p;
}

// Runs SQL against a database with the sqlite3 CLI; returns stdout lines.
export function sql(dbPath, statement) {
  const out = execFileSync('sqlite3', ['-batch', '-bail', dbPath, statement], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.length > 0);
}

// ASCII-only case folding, as SQLite's NOCASE does.
export const nocase = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

export const sameSet = (a, b, msg) =>
  assert.deepEqual([...new Set(a)].sort(), [...new Set(b)].sort(), msg);

// The longest request target of at most limit bytes (8192, the default
// --max-target): prefix, then distinct values value(0), value(1)... joined
// by commas. Returns {path, n} (n: values in it).
export function fillTarget(prefix, value, limit = 8192) {
  let p = prefix;
  let n = 0;
  for (;;) {
    const next = (n ? ',' : '') + value(n);
    if (p.length + next.length > limit) break;
    p += next;
    n++;
  }
  return { path: p, n };
}
