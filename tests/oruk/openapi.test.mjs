// api-spec/openreferral.json: it describes the feed exactly as the server
// implements it, the binary serves it byte for byte, its external $refs are
// the profile's schemas, and it lints clean (tests/oruk/lint.sh).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO } from '../http/lib/server.mjs';
import { feedClient, qs } from './lib/feed.mjs';
import { spec, SPEC_TEXT, registered, CANONICAL } from './lib/profile.mjs';
import { freshFeed } from './lib/fixtures.mjs';

const B = '/openreferral/v3';
const PUBLIC = 'https://signpost.example.org';
const HERE = path.dirname(fileURLToPath(import.meta.url));
let server, client;

before(async () => {
  server = await freshFeed({ publicUrl: PUBLIC });
  client = feedClient(server.base);
});
after(async () => { if (server) await server.stop(); });

const FEED_PATHS = ['', '/', '/openapi.json', '/services', '/services/{id}', '/taxonomies', '/taxonomies/{id}',
  '/taxonomy_terms', '/taxonomy_terms/{id}', '/organizations', '/organizations/{id}'].map((p) => B + p);

test('the document is OpenAPI 3.1 with exactly the feed\'s paths, each a GET', () => {
  assert.match(spec.openapi, /^3\.1\.\d+$/);
  assert.deepEqual(Object.keys(spec.paths).sort(), [...FEED_PATHS].sort());
  const opIds = [];
  for (const [p, item] of Object.entries(spec.paths)) {
    assert.deepEqual(Object.keys(item).filter((k) => k !== 'parameters'), ['get'], `${p}: only GET is described`);
    opIds.push(item.get.operationId);
    assert.ok('200' in item.get.responses && '400' in item.get.responses, `${p}: 200 and 400 documented`);
    assert.equal('404' in item.get.responses, p.endsWith('{id}') || p.endsWith('openapi.json'), `${p}: 404 documented iff it can happen`);
  }
  assert.equal(new Set(opIds).size, opIds.length, 'operationIds repeat');
  const params = (p) => spec.paths[p].get.parameters.map((x) => (x.$ref ? spec.components.parameters[x.$ref.split('/').pop()] : x))
    .filter((x) => x.in === 'query').map((x) => x.name).sort();
  assert.deepEqual(params(`${B}/services`), ['search', 'taxonomy_term_id', 'taxonomy_id', 'organization_id', 'minimum_age',
    'maximum_age', 'modified_after', 'page', 'per_page'].sort());
  assert.deepEqual(params(`${B}/taxonomy_terms`), ['taxonomy_id', 'parent_id', 'top_only', 'page', 'per_page'].sort());
  for (const p of ['taxonomies', 'organizations']) assert.deepEqual(params(`${B}/${p}`), ['page', 'per_page']);
});

test('the document\'s paths are exactly the routes server/http/router.c sends to the feed', () => {
  const router = readFileSync(path.join(REPO, 'server', 'http', 'router.c'), 'utf8');
  const routes = [...router.matchAll(/\{REQ_GET, "(\/openreferral\/v3[^"]*)", oruk_\w+\}/g)]
    .map((m) => m[1].replace(/\{\}/g, '{id}'));
  assert.ok(routes.length >= 10, 'cannot read the feed routes from router.c');
  assert.deepEqual([...routes].sort(), [...FEED_PATHS].sort());
});

test('every external $ref is one of the profile\'s schemas, by its canonical URL', () => {
  const refs = [...SPEC_TEXT.matchAll(/"\$ref": "([^"#][^"]*)"/g)].map((m) => m[1]);
  assert.ok(refs.length >= 5);
  for (const r of refs) {
    assert.ok(r.startsWith(CANONICAL), `${r} is not under ${CANONICAL}`);
    assert.ok(registered.has(r.split('#')[0]), `${r} names no schema of the profile`);
  }
  for (const want of ['compiled/service.json', 'compiled/service_list.json', 'compiled/organization.json',
    'compiled/organization_list.json', 'taxonomy.json', 'taxonomy_term.json']) {
    assert.ok(refs.includes(CANONICAL + want), `${want} is not referred to`);
  }
});

test('the binary serves the document byte for byte at /openreferral/v3/openapi.json', async () => {
  const r = await client.get(`${B}/openapi.json`);
  assert.equal(r.status, 200);
  assert.equal(r.text, SPEC_TEXT, 'the served document differs from api-spec/openreferral.json: run make');
  assert.equal(r.headers.get('cache-control'), 'public, max-age=3600');
  const index = await client.getJson(B);
  assert.equal(index.openapi_url, `${PUBLIC}${B}/openapi.json`);
  assert.deepEqual(await client.getJson(`${B}/`), index);
});

test('every documented query parameter is accepted with a valid value', async () => {
  const real = {
    taxonomy_term_id: (await client.getJson(`${B}/taxonomy_terms?per_page=1`)).contents[0].id,
    taxonomy_id: (await client.getJson(`${B}/taxonomies?per_page=1`)).contents[0].id,
    organization_id: (await client.getJson(`${B}/organizations?per_page=1`)).contents[0].id,
  };
  real.parent_id = real.taxonomy_term_id;
  for (const [p, item] of Object.entries(spec.paths)) {
    if (p.includes('{')) continue;
    const params = (item.get.parameters || []).map((x) => (x.$ref ? spec.components.parameters[x.$ref.split('/').pop()] : x))
      .filter((x) => x.in === 'query');
    const all = {};
    for (const prm of params) {
      const s = prm.schema;
      const v = real[prm.name] ?? prm.example ?? s.enum?.[0] ?? s.default ?? (s.type === 'integer' ? s.minimum ?? 1 : 'online');
      all[prm.name] = v;
      const r = await client.get(p + qs({ [prm.name]: v }));
      assert.equal(r.status, 200, `GET ${p}${qs({ [prm.name]: v })}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    const r = await client.get(p + qs(all));
    assert.equal(r.status, 200, `GET ${p}${qs(all)}: ${r.status} ${r.text.slice(0, 200)}`);
  }
});

test('the document lints clean (tests/oruk/lint.sh)', async () => {
  const r = await promisify(execFile)('sh', [path.join(HERE, 'lint.sh')], { encoding: 'utf8' })
    .catch((err) => assert.fail(`lint.sh failed:\n${err.stdout}\n${err.stderr}`));
  assert.match(r.stdout + r.stderr, /valid/i);
});

test('with --port 0 and no --public-url, openapi_url names the port the server listens on', {
}, async () => {
  const s = await freshFeed();
  try {
    const index = await feedClient(s.base).getJson(B);
    assert.equal(index.openapi_url, `${s.base}${B}/openapi.json`);
  } finally {
    await s.stop();
  }
});
