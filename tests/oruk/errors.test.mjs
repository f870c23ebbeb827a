// Bad parameters and unknown addresses: 400 and 404 problem details
// (application/problem+json, RFC 9457), and the edges of what is accepted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { feedClient } from './lib/feed.mjs';
import { freshFeed } from './lib/fixtures.mjs';

const B = '/openreferral/v3';
const NOBODY = '00000000-0000-4000-8000-000000000000';
let server, client, serviceId, orgId, taxonomyId, termId;

before(async () => {
  server = await freshFeed();
  client = feedClient(server.base);
  serviceId = (await client.getJson(`${B}/services?per_page=1`)).contents[0].id;
  orgId = (await client.getJson(`${B}/organizations?per_page=1`)).contents[0].id;
  taxonomyId = (await client.getJson(`${B}/taxonomies?per_page=1`)).contents[0].id;
  termId = (await client.getJson(`${B}/taxonomy_terms?per_page=1`)).contents[0].id;
});
after(async () => { if (server) await server.stop(); });

// GETs p, expects a 400 invalid-parameters problem naming exactly `names`.
async function expect400(p, names) {
  const r = await client.get(p);
  assert.equal(r.status, 400, `GET ${p}: ${r.status} ${r.text.slice(0, 200)}`);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.json.type, '/problems/invalid-parameters');
  assert.equal(r.json.status, 400);
  assert.ok(Array.isArray(r.json.errors), `GET ${p}: no errors array`);
  assert.deepEqual(r.json.errors.map((e) => e.name).sort(), [...names].sort(), `GET ${p}: errors name the wrong parameters`);
  for (const e of r.json.errors) {
    assert.equal(e.in, 'query');
    assert.ok(e.reason.length > 5, `GET ${p}: ${e.name} has no reason`);
  }
  return r.json;
}

async function expect404(p) {
  const r = await client.get(p);
  assert.equal(r.status, 404, `GET ${p}: ${r.status} ${r.text.slice(0, 200)}`);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.json.status, 404);
  assert.equal(r.json.title, 'Not Found');
  return r.json;
}

test('page=0, per_page=101, taxonomy_term_id=not-a-uuid, minimum_age=-1, modified_after=yesterday: one 400 naming each', async () => {
  const bad = { page: '0', per_page: '101', taxonomy_term_id: 'not-a-uuid', minimum_age: '-1', modified_after: 'yesterday' };
  const q = Object.entries(bad).map(([k, v]) => `${k}=${v}`).join('&');
  const body = await expect400(`${B}/services?${q}`, Object.keys(bad));
  for (const name of Object.keys(bad)) assert.ok(body.detail.includes(name), `detail does not mention ${name}`);
  for (const [k, v] of Object.entries(bad)) await expect400(`${B}/services?${k}=${v}`, [k]);
});

test('every other bad parameter is a 400 naming it', async () => {
  const cases = [
    [`/services?page=abc`, ['page']], [`/services?page=100001`, ['page']], [`/services?page=1.5`, ['page']],
    [`/services?per_page=0`, ['per_page']], [`/services?per_page=-5`, ['per_page']],
    [`/services?taxonomy_id=audience`, ['taxonomy_id']], [`/services?organization_id=nspcc`, ['organization_id']],
    [`/services?taxonomy_term_id=${NOBODY}x`, ['taxonomy_term_id']],
    [`/services?maximum_age=151`, ['maximum_age']], [`/services?minimum_age=ten`, ['minimum_age']],
    [`/services?minimum_age=1.5`, ['minimum_age']],
    [`/services?modified_after=2026-13-01`, ['modified_after']], [`/services?modified_after=2026-01-31T25:00:00Z`, ['modified_after']],
    [`/services?modified_after=1969-12-31`, ['modified_after']], [`/services?modified_after=31/01/2026`, ['modified_after']],
    [`/services?search=${'a'.repeat(201)}`, ['search']],
    [`/taxonomies?page=0`, ['page']], [`/organizations?per_page=101`, ['per_page']],
    [`/taxonomy_terms?top_only=maybe`, ['top_only']], [`/taxonomy_terms?parent_id=grooming`, ['parent_id']],
    [`/taxonomy_terms?taxonomy_id=topic&page=0`, ['taxonomy_id', 'page']],
  ];
  for (const [p, names] of cases) await expect400(B + p, names);
});

test('the limits themselves are accepted', async () => {
  for (const p of ['/services?page=100000&per_page=100', '/services?per_page=1', '/services?minimum_age=0&maximum_age=150',
    `/services?search=${'a'.repeat(200)}`, '/services?search=', '/services?search=%25_%5C%22%27',
    '/services?modified_after=2026-01-31', '/services?modified_after=2026-01-31T09:00:00.5%2B01:00',
    '/taxonomy_terms?top_only=0', '/taxonomy_terms?top_only=false', '/organizations?page=100000',
    '/services?day=monday&postcode=DE1%201AA&proximity=1000&start_time=09:00']) {
    const r = await client.get(B + p);
    assert.equal(r.status, 200, `GET ${B}${p}: ${r.status} ${r.text.slice(0, 300)}`);
  }
});

test('unknown paths under /openreferral/v3 are 404 problems', async () => {
  for (const p of ['/nope', '/service_at_locations', '/service_at_locations/' + NOBODY, `/services/${NOBODY}/extra`,
    '/Services', '/openapi.yaml', '/services/', '/organizations/']) {
    await expect404(B + p);
  }
});

test('unknown or malformed ids are 404 at every /{id} route', async () => {
  for (const route of ['services', 'organizations', 'taxonomies', 'taxonomy_terms']) {
    const body = await expect404(`${B}/${route}/${NOBODY}`);
    assert.ok(body.detail.includes(NOBODY), `${route}: the detail does not name the id`);
    await expect404(`${B}/${route}/not-a-uuid`);
    await expect404(`${B}/${route}/${'f'.repeat(500)}`);
  }
  // Ids of one kind are not ids of another.
  await expect404(`${B}/services/${orgId}`);
  await expect404(`${B}/organizations/${serviceId}`);
  await expect404(`${B}/taxonomies/${termId}`);
  await expect404(`${B}/taxonomy_terms/${taxonomyId}`);
});

test('invalid UTF-8 or a NUL byte in the query is a 400 problem', async () => {
  for (const p of [`${B}/services?search=%FF`, `${B}/services?search=a%00b`, `${B}/taxonomy_terms?x%FF=1`]) {
    const r = await client.get(p);
    assert.equal(r.status, 400, `GET ${p}: ${r.status}`);
    assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  }
});

// docs/api-contract.md: Access-Control-Allow-Origin: * on every answer, 4xx
// included; feedClient asserts it on every answer.
test('invalid UTF-8 or a NUL byte in the path is a 400 problem with the CORS headers', async (t) => {
  for (const p of [`${B}/services/${serviceId}%00`, `${B}/services/x%FF`, `${B}/x%FF`]) {
    await t.test(p, {
    }, async () => {
      const r = await client.get(p);
      assert.equal(r.status, 400, `GET ${p}: ${r.status}`);
      assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
    });
  }
});
