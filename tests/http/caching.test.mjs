// Common headers, ETag / If-None-Match, gzip, HEAD, OPTIONS, and the
// correctness of the server's response cache. Raw node:http requests so that
// Content-Encoding is visible and nothing is decompressed behind our back.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { startServer, tempDir } from './lib/server.mjs';
import { raw } from './lib/http.mjs';
import { ORGS } from './lib/api.mjs';

let srv, base;

before(async () => {
  srv = await startServer();
  base = srv.base;
});
after(() => srv?.stop());

const ETAG = /^"[0-9a-f]{16}"$/;
const ETAG_GZ = /^"[0-9a-f]{16}-gz"$/;
const tokens = (v) => (v || '').split(',').map((s) => s.trim()).filter(Boolean);

// Successful answers, and what their Cache-Control must be.
const OK_PATHS = [
  ['/api/v1', 'public, max-age=60'],
  [ORGS, 'public, max-age=60'],
  [`${ORGS}?q=online&audience=parents&per_page=3&page=2`, 'public, max-age=60'],
  [`${ORGS}/nspcc`, 'public, max-age=60'],
  ['/api/v1/audiences', 'public, max-age=60'],
  ['/api/v1/topics', 'public, max-age=60'],
  ['/api/v1/topics/online-abuse', 'public, max-age=60'],
  ['/api/v1/help', 'public, max-age=60'],
  ['/api/v1/openapi.yaml', 'public, max-age=3600'],
];
// Error answers: Cache-Control no-cache.
const ERROR_PATHS = [
  [`${ORGS}/nope`, 404],
  ['/api/v1/nope', 404],
  [`${ORGS}?page=0`, 400],
  [`${ORGS}?audience=nope&topic=nope&page=x&per_page=y`, 400],
  [`${ORGS}?q=%FF`, 400],
];

function assertCommonHeaders(r, what) {
  const h = r.headers;
  assert.equal(h['access-control-allow-origin'], '*', `${what}: ACAO`);
  assert.deepEqual(tokens(h['access-control-expose-headers']).map((s) => s.toLowerCase()).sort(), ['etag', 'link'], `${what}: expose`);
  assert.ok(tokens(h.vary).map((s) => s.toLowerCase()).includes('accept-encoding'), `${what}: Vary ${h.vary}`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(h['referrer-policy'], 'no-referrer', `${what}: referrer policy`);
  assert.ok(h.etag, `${what}: an ETag`);
}

describe('common headers', () => {
  for (const [path, cacheControl] of OK_PATHS) {
    it(`GET ${path}`, async () => {
      const r = await raw(base, { path });
      assert.equal(r.status, 200);
      assertCommonHeaders(r, path);
      assert.match(r.headers.etag, ETAG);
      assert.equal(r.headers['cache-control'], cacheControl);
      assert.match(r.headers['content-type'], /; charset=utf-8$/);
      assert.equal(r.headers['content-encoding'], undefined, 'identity without Accept-Encoding');
      assert.equal(Number(r.headers['content-length']), r.raw.length, 'Content-Length is the body length');
    });
  }
  for (const [path, status] of ERROR_PATHS) {
    it(`GET ${path} (${status})`, async () => {
      const r = await raw(base, { path });
      assert.equal(r.status, status);
      assertCommonHeaders(r, path);
      assert.match(r.headers.etag, ETAG);
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
    });
  }

  it('the same request twice gives the same body and ETag', async () => {
    for (const [path] of [...OK_PATHS, ...ERROR_PATHS]) {
      const a = await raw(base, { path });
      const b = await raw(base, { path });
      assert.equal(a.headers.etag, b.headers.etag, path);
      assert.ok(a.raw.equals(b.raw), path);
    }
  });

  it('different answers have different ETags', async () => {
    const tags = new Map();
    for (const [path] of [...OK_PATHS, ...ERROR_PATHS]) {
      const r = await raw(base, { path });
      const seen = tags.get(r.headers.etag);
      assert.ok(!seen || seen === r.text, `${path} shares its ETag with a different body`);
      tags.set(r.headers.etag, r.text);
    }
    assert.ok(tags.size >= OK_PATHS.length, 'mostly distinct tags');
  });
});

describe('If-None-Match', () => {
  const path = `${ORGS}?audience=parents`;

  it('answers 304 with the same ETag and no body for the current tag', async () => {
    const first = await raw(base, { path });
    const tag = first.headers.etag;
    const r = await raw(base, { path, headers: { 'if-none-match': tag } });
    assert.equal(r.status, 304);
    assert.equal(r.headers.etag, tag);
    assert.equal(r.raw.length, 0, 'no body');
    assertCommonHeaders(r, '304');
    assert.equal(r.headers['cache-control'], 'public, max-age=60');
  });

  it('ignores a W/ prefix, matches * and any tag of a list', async () => {
    const tag = (await raw(base, { path })).headers.etag;
    for (const inm of [`W/${tag}`, '*', `"0000000000000000", ${tag}`, `${tag}, "0000000000000000"`,
      `"0000000000000000",${tag}`, `W/"0000000000000000", W/${tag}`]) {
      const r = await raw(base, { path, headers: { 'if-none-match': inm } });
      assert.equal(r.status, 304, `If-None-Match: ${inm}`);
      assert.equal(r.headers.etag, tag, `If-None-Match: ${inm}`);
      assert.equal(r.raw.length, 0);
    }
  });

  it('answers 200 with the body for a tag that does not match', async () => {
    const first = await raw(base, { path });
    const tag = first.headers.etag;
    const other = (await raw(base, { path: ORGS })).headers.etag;
    assert.notEqual(other, tag);
    for (const inm of ['"0000000000000000"', other, tag.slice(0, -2) + '"', 'W/"x"', '""', 'garbage']) {
      const r = await raw(base, { path, headers: { 'if-none-match': inm } });
      assert.equal(r.status, 200, `If-None-Match: ${inm}`);
      assert.equal(r.text, first.text);
    }
  });

  it('matches either form of the tag, answering with the tag of the variant it would send', async () => {
    const id = await raw(base, { path });
    const gz = await raw(base, { path, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.etag, id.headers.etag.slice(0, -1) + '-gz"', 'the gzip tag is the plain tag + -gz');
    const a = await raw(base, { path, headers: { 'if-none-match': gz.headers.etag } });
    assert.equal(a.status, 304, 'identity request, gzip tag');
    assert.equal(a.headers.etag, id.headers.etag);
    const b = await raw(base, { path, headers: { 'if-none-match': id.headers.etag, 'accept-encoding': 'gzip' } });
    assert.equal(b.status, 304, 'gzip request, plain tag');
    assert.equal(b.headers.etag, gz.headers.etag);
  });

  it('works on every successful route, and on HEAD', async () => {
    for (const [p, cacheControl] of OK_PATHS) {
      const tag = (await raw(base, { path: p })).headers.etag;
      for (const method of ['GET', 'HEAD']) {
        const r = await raw(base, { method, path: p, headers: { 'if-none-match': tag } });
        assert.equal(r.status, 304, `${method} ${p}`);
        assert.equal(r.headers.etag, tag);
        assert.equal(r.headers['cache-control'], cacheControl, `${method} ${p}`);
        assert.equal(r.raw.length, 0);
      }
    }
  });
});

describe('gzip', () => {
  const bigPaths = [ORGS, `${ORGS}/nspcc`, '/api/v1/topics', '/api/v1/topics/grooming', '/api/v1/help', '/api/v1/openapi.yaml'];

  it('compresses bodies over 256 bytes when gzip is accepted', async () => {
    for (const path of bigPaths) {
      const id = await raw(base, { path });
      assert.ok(id.raw.length > 256, `${path} is big enough`);
      const gz = await raw(base, { path, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gz.status, 200);
      assert.equal(gz.headers['content-encoding'], 'gzip', path);
      assert.match(gz.headers.etag, ETAG_GZ);
      assert.equal(gz.headers.etag, id.headers.etag.slice(0, -1) + '-gz"');
      assert.ok(gunzipSync(gz.raw).equals(id.raw), `${path}: gunzipped = identity body`);
      assert.equal(Number(gz.headers['content-length']), gz.raw.length, 'Content-Length of the gzip body');
      assert.ok(gz.raw.length < id.raw.length, 'smaller');
      assert.equal(gz.headers['content-type'], id.headers['content-type']);
      assertCommonHeaders(gz, path);
    }
  });

  it('sends identity when gzip is not acceptable', async () => {
    const path = ORGS;
    const id = await raw(base, { path });
    for (const ae of ['identity', 'deflate', 'br', 'gzip;q=0', 'deflate, gzip;q=0', 'x-gzip-not', '']) {
      const r = await raw(base, { path, headers: { 'accept-encoding': ae } });
      assert.equal(r.headers['content-encoding'], undefined, `Accept-Encoding: ${ae}`);
      assert.ok(r.raw.equals(id.raw), `Accept-Encoding: ${ae}: identity body`);
      assert.equal(r.headers.etag, id.headers.etag);
      JSON.parse(r.raw.toString('utf8'));
    }
  });

  it('sends gzip for every way of accepting it', async () => {
    const path = ORGS;
    for (const ae of ['gzip', 'GZIP', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.8', 'deflate,gzip', 'gzip;q=0.5', '*']) {
      const r = await raw(base, { path, headers: { 'accept-encoding': ae } });
      assert.equal(r.headers['content-encoding'], 'gzip', `Accept-Encoding: ${ae}`);
      assert.match(r.headers.etag, ETAG_GZ);
    }
  });

  it('does not compress bodies of 256 bytes or less', async () => {
    const path = `${ORGS}/nope`;
    const id = await raw(base, { path });
    assert.ok(id.raw.length <= 256, `the 404 body is small (${id.raw.length})`);
    const r = await raw(base, { path, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(r.headers['content-encoding'], undefined);
    assert.ok(r.raw.equals(id.raw));
    assert.match(r.headers.etag, ETAG);
    assert.ok(tokens(r.headers.vary).includes('Accept-Encoding'), 'Vary even when not compressed');
  });
});

describe('HEAD', () => {
  const paths = [...OK_PATHS.map(([p]) => p), ...ERROR_PATHS.map(([p]) => p)];
  for (const encoding of [undefined, 'gzip']) {
    it(`has GET's headers and no body (Accept-Encoding: ${encoding ?? 'none'})`, async () => {
      const headers = encoding ? { 'accept-encoding': encoding } : {};
      for (const path of paths) {
        const g = await raw(base, { path, headers });
        const h = await raw(base, { method: 'HEAD', path, headers });
        assert.equal(h.status, g.status, path);
        assert.equal(h.raw.length, 0, `${path}: no body`);
        for (const name of ['etag', 'content-type', 'content-length', 'content-encoding', 'cache-control', 'vary',
          'access-control-allow-origin', 'access-control-expose-headers', 'link', 'x-content-type-options',
          'referrer-policy']) {
          assert.equal(h.headers[name], g.headers[name], `${path}: HEAD ${name}`);
        }
        assert.equal(Number(h.headers['content-length']), g.raw.length, `${path}: Content-Length as for GET`);
      }
    });
  }

  it('a HEAD does not poison the cache for the following GET', async () => {
    const path = `${ORGS}?q=report&per_page=7`;
    const h = await raw(base, { method: 'HEAD', path, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(h.raw.length, 0);
    const g = await raw(base, { path, headers: { 'accept-encoding': 'gzip' } });
    assert.ok(g.raw.length > 0);
    assert.equal(g.json.per_page, 7);
    const i = await raw(base, { path });
    assert.equal(i.text, g.text);
  });
});

describe('OPTIONS', () => {
  const paths = ['/api/v1', ORGS, `${ORGS}/nspcc`, '/api/v1/audiences', '/api/v1/topics', '/api/v1/topics/grooming',
    '/api/v1/help', '/api/v1/openapi.yaml'];
  // The organisations' and the taxonomy's paths also take the curators'
  // write methods.
  const ALLOW = {
    [ORGS]: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    [`${ORGS}/nspcc`]: ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    '/api/v1/audiences': ['GET', 'HEAD', 'POST', 'OPTIONS'],
    '/api/v1/topics': ['GET', 'HEAD', 'POST', 'OPTIONS'],
    '/api/v1/topics/grooming': ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  };
  for (const path of paths) {
    it(`OPTIONS ${path} -> 204 with Allow and CORS`, async () => {
      const r = await raw(base, {
        method: 'OPTIONS', path,
        headers: { origin: 'https://school.example', 'access-control-request-method': 'GET',
          'access-control-request-headers': 'if-none-match' },
      });
      assert.equal(r.status, 204);
      assert.equal(r.raw.length, 0);
      assert.deepEqual(tokens(r.headers.allow).sort(), [...(ALLOW[path] || ['GET', 'HEAD', 'OPTIONS'])].sort());
      assert.equal(r.headers['access-control-allow-origin'], '*');
      assert.equal(r.headers['access-control-allow-methods'], 'GET, HEAD, OPTIONS');
      assert.equal(r.headers['access-control-allow-headers'], 'If-None-Match, Accept, Accept-Encoding');
      assert.equal(r.headers['access-control-max-age'], '86400');
    });
  }
});

describe('the response cache', () => {
  // Requests that must each get their own answer.
  const KEYS = [
    ORGS,
    `${ORGS}?page=2&per_page=3`,
    `${ORGS}?page=3&per_page=3`,
    `${ORGS}?per_page=3&page=2&x=1`,
    `${ORGS}?per_page=4`,
    `${ORGS}?q=online`,
    `${ORGS}?q=online&per_page=2`,
    `${ORGS}?q=Online%20safety`,
    `${ORGS}?q=report`,
    `${ORGS}?q=%C3%A9cole`,
    `${ORGS}?audience=parents`,
    `${ORGS}?audience=children`,
    `${ORGS}?audience=parents,children`,
    `${ORGS}?audience=parents&topic=cyberbullying`,
    `${ORGS}?topic=cyberbullying`,
    `${ORGS}?topic=grooming`,
    `${ORGS}/nspcc`,
    `${ORGS}/childline`,
    `${ORGS}/nope`,
    '/api/v1/topics/grooming',
    '/api/v1/topics/cyberbullying',
    '/api/v1/audiences',
    `${ORGS}?page=0`,
    `${ORGS}?per_page=0`,
    `${ORGS}?audience=nope`,
  ];

  // A second server on the same database gives each request's expected answer
  // exactly once (identity, no If-None-Match), in order, so no earlier request
  // can leak into it.
  let ref;
  const expected = new Map();
  before(async () => {
    ref = await startServer({ dbPath: srv.dbPath });
    for (const path of KEYS) {
      const r = await raw(ref.base, { path });
      expected.set(path, { status: r.status, text: r.text, etag: r.headers.etag, link: r.headers.link });
    }
  });
  after(() => ref?.stop());

  it('the reference answers are what each request asked for', () => {
    for (const path of KEYS) {
      const e = expected.get(path);
      const u = new URL(path, 'http://x');
      if (e.status === 200 && u.pathname === ORGS) {
        const body = JSON.parse(e.text);
        assert.equal(body.page, Number(u.searchParams.get('page') || 1), path);
        assert.equal(body.per_page, Number(u.searchParams.get('per_page') || 20), path);
        const aud = u.searchParams.get('audience');
        if (aud) for (const o of body.items) assert.ok(aud.split(',').some((a) => o.audiences.includes(a)), path);
      } else if (e.status === 200 && u.pathname.startsWith(`${ORGS}/`)) {
        assert.equal(JSON.parse(e.text).slug, u.pathname.split('/').pop(), path);
      }
    }
    const distinct = new Set(KEYS.filter((k) => !k.includes('x=1')).map((k) => expected.get(k).text));
    assert.equal(distinct.size, KEYS.length - 1, 'every request (but the one with an ignored parameter) differs');
  });

  it('never mixes up queries, encodings, HEAD and conditional requests', async () => {
    // A fixed pseudo-random interleaving: deterministic, and the same for every run.
    let seed = 12345;
    const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const variants = ['identity', 'gzip', 'head-gzip', 'head', 'inm', 'inm-stale'];
    for (let round = 0; round < 6 * KEYS.length; round++) {
      const path = KEYS[rand(KEYS.length)];
      const variant = variants[rand(variants.length)];
      const e = expected.get(path);
      const gzip = variant.includes('gzip');
      const headers = gzip ? { 'accept-encoding': 'gzip' } : {};
      const method = variant.startsWith('head') ? 'HEAD' : 'GET';
      if (variant === 'inm') headers['if-none-match'] = e.etag;
      if (variant === 'inm-stale') headers['if-none-match'] = '"ffffffffffffffff"';
      const r = await raw(base, { method, path, headers });
      const what = `round ${round}: ${method} ${path} (${variant})`;
      if (variant === 'inm' && e.status === 200) {
        assert.equal(r.status, 304, what);
        assert.equal(r.headers.etag, e.etag, what);
        continue;
      }
      assert.equal(r.status, e.status, what);
      assert.equal(r.headers.link, e.link, `${what}: Link`);
      const compressed = r.headers['content-encoding'] === 'gzip';
      if (compressed) {
        assert.ok(gzip, `${what}: gzip only when asked for`);
        assert.equal(r.headers.etag, e.etag.slice(0, -1) + '-gz"', what);
      } else {
        assert.equal(r.headers.etag, e.etag, what);
        if (gzip) assert.ok(Buffer.byteLength(e.text) <= 256, `${what}: a big body must be compressed`);
      }
      if (method === 'HEAD') {
        assert.equal(r.raw.length, 0, what);
      } else {
        assert.equal(r.text, e.text, `${what}: body`);
      }
    }
  });
});

// Issue 13 item 3: junk cannot fill the cache and stop it admitting. Errors
// are not kept at all; answers asked for once are not kept; and when the
// bytes are spent, what people keep asking for stays.
describe('the response cache under a flood', () => {
  let small, dir;
  before(async () => {
    dir = await tempDir();
    small = await startServer({
      args: ['serve', '--port', '0', '--bind', '127.0.0.1', '--db', path.join(dir.dir, 'small.db'), '--cache-mb', '1'],
    });
  });
  after(async () => { await small?.stop(); await dir?.remove(); });

  const hitsOf = async (srvBase) => {
    const m = (await raw(srvBase, { path: '/metrics' })).text.match(/^signpost_cache_hits_total (\d+)/m);
    return Number(m[1]);
  };

  it('keeps serving a popular page from the cache after thousands of unknown paths and one-off searches', async () => {
    const popular = '/api/v1/organisations?per_page=5';
    for (let i = 0; i < 3; i++) assert.equal((await raw(small.base, { path: popular })).status, 200);
    for (let i = 0; i < 1500; i++) {
      assert.equal((await raw(small.base, { path: `/api/v1/nope-${i}` })).status, 404);
      for (let k = 0; k < 2; k++) // asked twice: kept, and filling the 1 MiB
        assert.equal((await raw(small.base, { path: `/api/v1/organisations?q=junk${i}&per_page=19&x=${'y'.repeat(200)}` })).status, 200);
      if (i % 100 === 0) await raw(small.base, { path: popular });
    }
    const before = await hitsOf(small.base);
    for (let i = 0; i < 5; i++) assert.equal((await raw(small.base, { path: popular })).status, 200);
    assert.equal(await hitsOf(small.base) - before, 5, 'the popular page is still a hit');
    // and a page asked for twice now is kept and served (the cache still admits)
    const later = '/api/v1/organisations?per_page=7';
    for (let i = 0; i < 2; i++) await raw(small.base, { path: later });
    const before2 = await hitsOf(small.base);
    await raw(small.base, { path: later });
    assert.equal(await hitsOf(small.base) - before2, 1, 'a page asked for again is admitted');
  });
});
