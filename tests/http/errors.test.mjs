// Every malformed request gets an RFC 9457 problem. Raw node:http requests,
// so the path is sent exactly as written here.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { raw, get } from './lib/http.mjs';
import { ORGS, assertProblem, assertInvalidParams } from './lib/api.mjs';

let srv, base;

before(async () => {
  srv = await startServer();
  base = srv.base;
});
after(() => srv?.stop());

// [raw path, expected error names (null: not checked), where]
const BAD_PARAMETERS = [
  [`${ORGS}?page=abc`, ['page']],
  [`${ORGS}?page=0`, ['page']],
  [`${ORGS}?page=-1`, ['page']],
  [`${ORGS}?page=1.5`, ['page']],
  [`${ORGS}?page=1e3`, ['page']],
  [`${ORGS}?page=+1`, ['page']],
  [`${ORGS}?page=%201`, ['page']],
  [`${ORGS}?page=1%20`, ['page']],
  [`${ORGS}?page=0x10`, ['page']],
  [`${ORGS}?page=100001`, ['page']],
  [`${ORGS}?page=99999999999999999999999`, ['page']],
  [`${ORGS}?page=`, ['page']],
  [`${ORGS}?page`, ['page']],
  [`${ORGS}?per_page=0`, ['per_page']],
  [`${ORGS}?per_page=101`, ['per_page']],
  [`${ORGS}?per_page=abc`, ['per_page']],
  [`${ORGS}?per_page=-5`, ['per_page']],
  [`${ORGS}?per_page=`, ['per_page']],
  [`${ORGS}?page=0&per_page=0`, ['page', 'per_page']],
  [`${ORGS}?q=${'a'.repeat(201)}`, ['q']],
  [`${ORGS}?audience=nope`, ['audience']],
  [`${ORGS}?topic=nope`, ['topic']],
];

// Percent-encoding that is not valid UTF-8 or holds a NUL: 400, in the query.
const BAD_QUERY_BYTES = [
  `${ORGS}?q=%FF`,
  `${ORGS}?q=abc%FFdef`,
  `${ORGS}?q=%C3`,
  `${ORGS}?q=abc%C3`,
  `${ORGS}?q=%C3%28`,
  `${ORGS}?q=%C0%AF`,
  `${ORGS}?q=%E0%80%AF`,
  `${ORGS}?q=%ED%A0%80`,
  `${ORGS}?q=%F4%90%80%80`,
  `${ORGS}?q=%F8%88%80%80%80`,
  `${ORGS}?q=%80`,
  `${ORGS}?q=a%00b`,
  `${ORGS}?q=%00`,
  `${ORGS}?a%00b=1`,
  `${ORGS}?%00=1`,
  `${ORGS}?%FF=1`,
  `${ORGS}?unknown=%FF`,
  `${ORGS}?audience=parents%00`,
  '/api/v1/help?x=%FF',
  '/api/v1/help?x=%00',
  '/api/v1/audiences?%C0%AF',
];

// Bad bytes in the path: 400, in the path.
const BAD_PATH_BYTES = [
  `${ORGS}/nspcc%00`,
  `${ORGS}/%00`,
  `${ORGS}/ns%FFpcc`,
  `${ORGS}/%C3`,
  `${ORGS}/%C0%AF`,
  `${ORGS}/%ED%A0%80`,
  '/api/v1/topics/%FF',
  '/api/v1/topics/grooming%00',
  '/api/v1%00',
  '/api/v1/%FF',
];

describe('bad query parameters', () => {
  for (const [path, names] of BAD_PARAMETERS) {
    it(`GET ${path.length > 70 ? path.slice(0, 70) + '...' : path} -> 400 naming ${names.join(', ')}`, async () => {
      const r = await raw(base, { path });
      assertInvalidParams(r, names, 'query', path);
      assert.equal(r.headers['cache-control'], 'no-cache');
    });
  }

  it('accepts the boundary values page=1, page=100000, per_page=1 and per_page=100', async () => {
    for (const q of ['page=1', 'page=100000', 'per_page=1', 'per_page=100', 'page=00001']) {
      const r = await raw(base, { path: `${ORGS}?${q}` });
      assert.equal(r.status, 200, `${q}: ${r.text.slice(0, 200)}`);
    }
  });

  it('ignores unknown query parameters', async () => {
    const plain = await raw(base, { path: ORGS });
    for (const q of ['foo=bar', 'foo', 'foo=', 'PAGE=abc', 'callback=alert(1)', 'x=%E2%9C%93']) {
      const r = await raw(base, { path: `${ORGS}?${q}` });
      assert.equal(r.status, 200, q);
      assert.equal(r.text, plain.text, `same body with ${q}`);
    }
  });
});

describe('invalid UTF-8 and NUL bytes', () => {
  for (const path of BAD_QUERY_BYTES) {
    it(`GET ${path} -> 400 (query)`, async () => {
      const r = await raw(base, { path });
      const p = assertProblem(r, 400, path);
      assert.equal(p.type, '/problems/invalid-parameters', path);
      assert.ok(Array.isArray(p.errors) && p.errors.length >= 1, `${path}: errors[]`);
      for (const e of p.errors) assert.equal(e.in, 'query', `${path}: ${r.text}`);
    });
  }
  for (const path of BAD_PATH_BYTES) {
    it(`GET ${path} -> 400 (path)`, async () => {
      const r = await raw(base, { path });
      const p = assertProblem(r, 400, path);
      assert.equal(p.type, '/problems/invalid-parameters', path);
      assert.ok(Array.isArray(p.errors) && p.errors.length >= 1, `${path}: errors[]`);
      for (const e of p.errors) assert.equal(e.in, 'path', `${path}: ${r.text}`);
    });
  }

  it('malformed percent escapes are a 400, never a crash', async () => {
    for (const path of [`${ORGS}?q=%`, `${ORGS}?q=%Z1`, `${ORGS}?q=abc%2`, `${ORGS}/%G0`]) {
      assertProblem(await raw(base, { path }), 400, path);
    }
    assert.equal((await raw(base, { path: '/healthz' })).status, 200, 'still alive');
  });

  it('valid multibyte UTF-8 is fine everywhere', async () => {
    for (const path of [`${ORGS}?q=%C3%A9cole`, `${ORGS}?q=%F0%9F%98%80`, `${ORGS}?%C3%A9=%E2%9C%93`]) {
      assert.equal((await raw(base, { path })).status, 200, path);
    }
    const r = await raw(base, { path: `${ORGS}/%C3%A9cole` });
    assertProblem(r, 404, 'a well-formed unknown slug');
  });
});

describe('unknown paths', () => {
  // Paths outside /api/ belong to the website, not to this contract.
  const paths = ['/api/nope', '/api/v2/organisations', '/api/v1/nope', '/api/v1/organisationsx', '/api/v1/organisation',
    `${ORGS}/nspcc/extra`, '/api/v1/topics/nope', '/api/v1/audiences/parents/extra', '/api/V1/organisations',
    '/api/v1/help/x', '/api/v1/openapi.json', '/api/v1/Organisations'];
  for (const path of paths) {
    it(`GET ${path} -> 404 about:blank`, async () => {
      const r = await raw(base, { path });
      const p = assertProblem(r, 404, path);
      assert.equal(p.type, 'about:blank');
      assert.equal(p.title, 'Not Found');
      assert.equal(r.headers['cache-control'], 'no-cache');
    });
  }
});

describe('methods other than GET, HEAD and OPTIONS', () => {
  const paths = [ORGS, `${ORGS}/nspcc`, `${ORGS}/nope`, '/api/v1', '/api/v1/audiences', '/api/v1/topics',
    '/api/v1/topics/grooming', '/api/v1/help', '/api/v1/openapi.yaml'];
  // The curators' write methods (tests/curation): without a token, 401.
  const ITEM = ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  const LIST = ['GET', 'HEAD', 'POST', 'OPTIONS'];
  const ALLOW = {
    [ORGS]: LIST, [`${ORGS}/nspcc`]: ITEM, [`${ORGS}/nope`]: ITEM,
    '/api/v1/audiences': LIST, '/api/v1/topics': LIST, '/api/v1/topics/grooming': ITEM,
  };
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    for (const path of paths) {
      const allowed = ALLOW[path] || ['GET', 'HEAD', 'OPTIONS'];
      const body = method === 'DELETE' ? undefined : '{"name":"x"}';
      const headers = body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {};
      if (allowed.includes(method)) {
        it(`${method} ${path} -> 401 without a token`, async () => {
          const r = await raw(base, { method, path, headers, body });
          const p = assertProblem(r, 401, `${method} ${path}`);
          assert.equal(p.title, 'Unauthorized');
          assert.equal(r.headers['www-authenticate'], 'Bearer realm="signpost"');
        });
        continue;
      }
      it(`${method} ${path} -> 405 with Allow`, async () => {
        const r = await raw(base, { method, path, headers, body });
        const p = assertProblem(r, 405, `${method} ${path}`);
        assert.equal(p.type, 'about:blank');
        assert.equal(p.title, 'Method Not Allowed');
        const allow = (r.headers.allow || '').split(',').map((s) => s.trim());
        assert.ok(allow.includes('GET'), `Allow: ${r.headers.allow}`);
        assert.deepEqual([...allow].sort(), [...allowed].sort());
      });
    }
  }

  it('a 405 does not disturb the next request', async () => {
    const bad = await raw(base, { method: 'POST', path: '/api/v1/help', headers: { 'content-length': 2 }, body: '{}' });
    assert.equal(bad.status, 405);
    const r = await get(base + ORGS);
    assert.equal(r.status, 200);
  });
});
