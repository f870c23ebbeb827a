// Conformance checks in the manner of the Open Referral UK validator, on the
// seeded directory: required endpoints answer, pages agree with total_items,
// every listed id resolves, and every filter finds what it should (and only
// that). Every answer is also schema-checked by feedClient (lib/feed.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { feedClient, allPages, checkPage, qs } from './lib/feed.mjs';
import { freshFeed } from './lib/fixtures.mjs';

const B = '/openreferral/v3';
let server, client;
let services, organizations, taxonomies, terms;
const details = new Map();

before(async () => {
  server = await freshFeed();
  client = feedClient(server.base);
  services = await allPages(client, `${B}/services`);
  organizations = await allPages(client, `${B}/organizations`);
  taxonomies = await allPages(client, `${B}/taxonomies`);
  terms = await allPages(client, `${B}/taxonomy_terms`);
  for (const s of services) details.set(s.id, await client.getJson(`${B}/services/${s.id}`));
});
after(async () => {
  if (server) await server.stop();
});

const ids = (items) => items.map((x) => x.id).sort();
const listIds = async (p) => ids(await allPages(client, p));

test('every required endpoint answers 2xx with Access-Control-Allow-Origin: *', async () => {
  const endpoints = [
    B, `${B}/`, `${B}/openapi.json`, `${B}/services`, `${B}/services/${services[0].id}`,
    `${B}/taxonomies`, `${B}/taxonomies/${taxonomies[0].id}`, `${B}/taxonomy_terms`,
    `${B}/taxonomy_terms/${terms[0].id}`, `${B}/organizations`, `${B}/organizations/${organizations[0].id}`,
  ];
  for (const p of endpoints) {
    for (const method of ['GET', 'HEAD']) {
      const r = await client.get(p, { method }); // feedClient asserts the CORS header on every answer
      assert.ok(r.status >= 200 && r.status < 300, `${method} ${p}: ${r.status}`);
      if (method === 'HEAD') assert.equal(r.text, '', `HEAD ${p} has a body`);
    }
    const pre = await fetch(server.base + p, {
      method: 'OPTIONS', headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(pre.status, 204, `OPTIONS ${p}`);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*', `OPTIONS ${p}`);
    assert.match(pre.headers.get('access-control-allow-methods') || '', /\bGET\b/);
  }
  const index = await client.getJson(B);
  assert.equal(index.version, 'HSDS-UK-3.0');
  assert.equal(new URL(index.openapi_url).pathname, `${B}/openapi.json`);
});

test('pages: first, middle and last agree with total_items (per_page=5)', async () => {
  for (const list of ['/services', '/organizations', '/taxonomy_terms']) {
    const first = await client.getJson(`${B}${list}?per_page=5`);
    const total = first.total_items;
    const pages = Math.ceil(total / 5);
    assert.ok(pages >= 3, `${list}: want at least 3 pages of 5 to test, got ${pages}`);
    checkPage(first, { page: 1, perPage: 5, total, where: `${list}?per_page=5` });
    const union = [];
    for (const n of [1, Math.ceil(pages / 2), pages]) {
      const p = await client.getJson(`${B}${list}?page=${n}&per_page=5`);
      checkPage(p, { page: n, perPage: 5, total, where: `${list}?page=${n}&per_page=5` });
    }
    for (let n = 1; n <= pages; n++) union.push(...(await client.getJson(`${B}${list}?page=${n}&per_page=5`)).contents);
    assert.equal(new Set(union.map((x) => x.id)).size, total, `${list}: the union of all pages is not total_items distinct ids`);
    assert.deepEqual(ids(union), await listIds(`${B}${list}`), `${list}: pages of 5 and of 100 hold different ids`);
    // A page past the last: empty, last_page, still the same totals.
    const past = await client.getJson(`${B}${list}?page=${pages + 1}&per_page=5`);
    checkPage(past, { page: pages + 1, perPage: 5, total, where: `${list}?page=${pages + 1}` });
  }
  // The default page size is 50.
  const d = await client.getJson(`${B}/services`);
  checkPage(d, { page: 1, perPage: 50, total: services.length, where: '/services' });
});

test('every id in every list resolves at its /{id} route, with the same fields', async () => {
  for (const s of services) {
    const full = details.get(s.id);
    for (const [k, v] of Object.entries(s)) assert.deepEqual(full[k], v, `service ${s.id}: ${k} differs between list and record`);
    assert.equal(full.organization.id, s.organization_id);
    for (const a of full.attributes) {
      assert.equal(a.link_id, s.id);
      assert.equal(a.taxonomy_term_id, a.taxonomy_term.id);
      assert.deepEqual(a.taxonomy_term, await client.getJson(`${B}/taxonomy_terms/${a.taxonomy_term_id}`),
        `service ${s.id}: the nested term differs from /taxonomy_terms/${a.taxonomy_term_id}`);
    }
    for (const c of full.contacts) assert.equal(c.service_id, s.id);
  }
  for (const o of organizations) {
    const full = await client.getJson(`${B}/organizations/${o.id}`);
    for (const [k, v] of Object.entries(o)) assert.deepEqual(full[k], v, `organisation ${o.id}: ${k} differs`);
    assert.deepEqual(ids(full.services), ids(services.filter((s) => s.organization_id === o.id)),
      `organisation ${o.id}: services differ from the services list`);
    assert.deepEqual(ids(full.services), await listIds(`${B}/services?organization_id=${o.id}`),
      `organisation ${o.id}: services differ from /services?organization_id`);
    for (const s of full.services) assert.deepEqual(s, details.get(s.id), `organisation ${o.id}: nested service ${s.id} differs from /services/${s.id}`);
  }
  for (const t of taxonomies) {
    const full = await client.getJson(`${B}/taxonomies/${t.id}`);
    const { taxonomy_terms: nested, ...rest } = full;
    assert.deepEqual(rest, t);
    assert.deepEqual(nested, await allPages(client, `${B}/taxonomy_terms?taxonomy_id=${t.id}`),
      `taxonomy ${t.id}: nested terms differ from /taxonomy_terms?taxonomy_id`);
  }
  for (const t of terms) {
    assert.deepEqual(await client.getJson(`${B}/taxonomy_terms/${t.id}`), t);
    assert.ok(taxonomies.some((x) => x.id === t.taxonomy_id), `term ${t.id}: taxonomy_id names no taxonomy`);
    if (t.parent_id) assert.ok(terms.some((x) => x.id === t.parent_id), `term ${t.id}: parent_id names no term`);
  }
  assert.equal(new Set(services.map((s) => s.id)).size, services.length);
});

test('each service is found by its own terms, its taxonomies, its ages and a word of its name', async () => {
  // A term also matches services filed under its descendants (documented).
  const descendants = (id) => [id, ...terms.filter((t) => t.parent_id === id).flatMap((t) => descendants(t.id))];
  const termIdsOf = (s) => details.get(s.id).attributes.map((a) => a.taxonomy_term_id);
  for (const t of terms) {
    const want = ids(services.filter((s) => termIdsOf(s).some((x) => descendants(t.id).includes(x))));
    assert.deepEqual(await listIds(`${B}/services?taxonomy_term_id=${t.id}`), want, `taxonomy_term_id=${t.id} (${t.term})`);
  }
  for (const x of taxonomies) {
    const want = ids(services.filter((s) => details.get(s.id).attributes.some((a) => a.taxonomy_term.taxonomy_id === x.id)));
    assert.deepEqual(await listIds(`${B}/services?taxonomy_id=${x.id}`), want, `taxonomy_id=${x.id}`);
  }
  let withAges = 0;
  for (const s of services) {
    const found = async (q) => (await allPages(client, `${B}/services${qs(q)}`)).some((x) => x.id === s.id);
    for (const a of details.get(s.id).attributes) {
      assert.ok(await found({ taxonomy_term_id: a.taxonomy_term_id }), `${s.name}: not found by its term ${a.taxonomy_term.term}`);
      assert.ok(await found({ taxonomy_id: a.taxonomy_term.taxonomy_id }), `${s.name}: not found by its taxonomy`);
    }
    if (s.minimum_age !== undefined || s.maximum_age !== undefined) {
      withAges++;
      const lo = s.minimum_age ?? 0, hi = s.maximum_age ?? 150;
      for (const x of new Set([lo, Math.floor((lo + hi) / 2), hi])) {
        assert.ok(await found({ minimum_age: x, maximum_age: x }), `${s.name} [${lo}, ${hi}]: not found by age ${x}`);
      }
      if (s.maximum_age !== undefined && s.maximum_age < 150) {
        assert.ok(!(await found({ minimum_age: s.maximum_age + 1, maximum_age: s.maximum_age + 1 })), `${s.name}: found by an age above its range`);
      }
      if (s.minimum_age > 0) assert.ok(!(await found({ minimum_age: 0, maximum_age: s.minimum_age - 1 })), `${s.name}: found by ages below its range`);
    }
    const word = s.name.match(/[A-Za-z0-9]+/g).sort((a, b) => b.length - a.length)[0];
    assert.ok(await found({ search: word }), `${s.name}: not found by search=${word}`);
    assert.ok(await found({ search: word.toUpperCase() }), `${s.name}: not found by search=${word.toUpperCase()}`);
    assert.ok(await found({ organization_id: s.organization_id }), `${s.name}: not found by its organization_id`);
  }
  assert.ok(withAges >= 2, `only ${withAges} seeded services have ages: the age checks prove little`);
});

test('minimum_age/maximum_age: services whose range overlaps the asked one; unknown bounds are open', async () => {
  const overlaps = (s, lo, hi) => (lo === undefined || s.maximum_age === undefined || s.maximum_age >= lo) &&
    (hi === undefined || s.minimum_age === undefined || s.minimum_age <= hi);
  for (const [lo, hi] of [[0, 0], [3, 3], [10, 12], [12, 12], [14, 16], [18, 18], [19, 150], [0, 150],
    [11, undefined], [undefined, 11], [15, undefined], [undefined, 2], [20, 10]]) {
    const want = ids(services.filter((s) => overlaps(s, lo, hi)));
    assert.deepEqual(await listIds(`${B}/services${qs({ minimum_age: lo, maximum_age: hi })}`), want,
      `minimum_age=${lo}&maximum_age=${hi}`);
  }
});

test('modified_after: future is empty, far past is everything, a timestamp is inclusive', async () => {
  const future = await client.getJson(`${B}/services?modified_after=2999-01-01T00:00:00Z`);
  assert.equal(future.total_items, 0);
  assert.deepEqual(future.contents, []);
  assert.equal(future.empty, true);
  for (const past of ['1970-01-01', '1999-12-31T23:59:59Z', '2000-01-01T00:00:00.123+05:30']) {
    assert.deepEqual(await listIds(`${B}/services?modified_after=${encodeURIComponent(past)}`), ids(services), `modified_after=${past}`);
  }
  for (const when of new Set(services.map((s) => s.last_modified))) {
    const want = ids(services.filter((s) => s.last_modified >= when));
    assert.deepEqual(await listIds(`${B}/services?modified_after=${when}`), want, `modified_after=${when}`);
    const t = new Date(when);
    const shifted = new Date(t.getTime() + 3600_000).toISOString().replace(/\.\d+Z$/, '+01:00');
    assert.deepEqual(await listIds(`${B}/services?modified_after=${encodeURIComponent(shifted)}`), want, `modified_after=${shifted}`);
    const after = new Date(t.getTime() + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    assert.deepEqual(await listIds(`${B}/services?modified_after=${after}`),
      ids(services.filter((s) => s.last_modified >= after)), `modified_after=${after}`);
  }
});

test('taxonomy_terms: top_only has no parent_id, parent_id gives exactly the children, taxonomy_id its terms', async () => {
  const top = await allPages(client, `${B}/taxonomy_terms?top_only=true`);
  for (const t of top) assert.equal(t.parent_id, undefined, `top_only=true returned ${t.term} with parent_id ${t.parent_id}`);
  assert.deepEqual(ids(top), ids(terms.filter((t) => !t.parent_id)));
  assert.deepEqual(await listIds(`${B}/taxonomy_terms?top_only=1`), ids(top));
  assert.deepEqual(await listIds(`${B}/taxonomy_terms?top_only=false`), ids(terms));
  assert.ok(terms.some((t) => t.parent_id), 'no seeded term has a parent: parent_id is untested');
  for (const p of terms) {
    const children = await allPages(client, `${B}/taxonomy_terms?parent_id=${p.id}`);
    for (const c of children) assert.equal(c.parent_id, p.id, `parent_id=${p.id} returned ${c.term}`);
    assert.deepEqual(ids(children), ids(terms.filter((t) => t.parent_id === p.id)), `parent_id=${p.id} (${p.term})`);
  }
  for (const x of taxonomies) {
    const mine = await allPages(client, `${B}/taxonomy_terms?taxonomy_id=${x.id}`);
    assert.ok(mine.length > 0);
    for (const t of mine) assert.equal(t.taxonomy_id, x.id);
    assert.deepEqual(ids(mine), ids(terms.filter((t) => t.taxonomy_id === x.id)));
  }
});

test('unknown well-formed UUIDs in filters give an empty page', async () => {
  const nobody = '00000000-0000-4000-8000-000000000000';
  for (const p of [`/services?taxonomy_term_id=${nobody}`, `/services?taxonomy_id=${nobody}`,
    `/services?organization_id=${nobody}`, `/taxonomy_terms?parent_id=${nobody}`, `/taxonomy_terms?taxonomy_id=${nobody}`]) {
    const page = await client.getJson(B + p);
    checkPage(page, { page: 1, perPage: 50, total: 0, where: p });
  }
});

test('ETag and If-None-Match: an unchanged answer is 304 with no body', async () => {
  for (const p of [`${B}/services?per_page=5`, `${B}/services/${services[0].id}`, `${B}/organizations`]) {
    const r = await client.get(p);
    const etag = r.headers.get('etag');
    assert.ok(etag, `${p}: no ETag`);
    const again = await client.get(p, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304, `${p}: If-None-Match ${etag} gave ${again.status}`);
    assert.equal(again.text, '');
  }
});
