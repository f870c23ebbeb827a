// Every answer of every feed route validates against the Open Referral UK
// profile's schemas (and against api-spec/openreferral.json): on the seeded
// directory, and again after hostile records (markup, quotes, javascript:
// URLs, invalid e-mail addresses, U+2028) are written straight into the
// database. See lib/feed.mjs for what is checked on each answer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { feedClient, stats } from './lib/feed.mjs';
import { crawl } from './lib/crawl.mjs';
import { schemas, assertValid, PROFILE_DIR, registered } from './lib/profile.mjs';
import { seededDb, startFeed, insertOrganisation, HOSTILE, JS_URL, LS } from './lib/fixtures.mjs';

const B = '/openreferral/v3';
let db, server;

before(async () => { db = await seededDb(); });
after(async () => {
  if (server) await server.stop().catch(() => {});
  if (db) await db.remove();
});

async function restart() {
  if (server) await server.stop();
  server = await startFeed({ dbPath: db.dbPath });
  return feedClient(server.base);
}

test('the validator: the profile\'s examples validate, broken records do not', () => {
  assert.ok(registered.size >= 28, `only ${registered.size} profile schemas registered`);
  const ex = (n) => JSON.parse(readFileSync(`${PROFILE_DIR}/examples/${n}.json`, 'utf8'));
  assertValid(schemas.service, ex('service_full'), 'examples/service_full.json');
  assertValid(schemas.organization, ex('organization_full'), 'examples/organization_full.json');
  assertValid(schemas.taxonomy, ex('taxonomy'), 'examples/taxonomy.json');
  assertValid(schemas.taxonomyTerm, ex('taxonomy_term'), 'examples/taxonomy_term.json');
  for (const [file, item] of [['service_list', schemas.serviceList], ['organization_list', schemas.organizationList],
    ['taxonomy_list', schemas.taxonomy], ['taxonomy_term_list', schemas.taxonomyTerm]]) {
    const page = ex(file);
    assertValid(schemas.page, page, `examples/${file}.json`);
    page.contents.forEach((x, i) => assertValid(item, x, `examples/${file}.json contents[${i}]`));
  }
  const good = ex('service_full');
  const broken = [
    { ...good, id: 'not-a-uuid' },
    { ...good, status: 'open' },
    { ...good, url: 'not a uri' },
    { ...good, email: 'not-an-email' },
    { ...good, last_modified: '2026-01-31' },
    { ...good, contacts: [{ name: 'no id' }] },
    { ...good, attributes: [{ id: good.id, taxonomy_term: { id: 'x' } }] },
  ];
  for (const b of broken) assert.throws(() => assertValid(schemas.service, b, 'broken'), /does not validate/);
  assert.throws(() => assertValid(schemas.page, { total_items: '3' }, 'broken page'), /does not validate/);
});

test('seeded directory: every answer of every feed route validates', async () => {
  const client = await restart();
  const before = stats.responses;
  const seen = await crawl(client);
  assert.ok(seen.services.length >= 10, `only ${seen.services.length} services`);
  assert.ok(seen.organizations.length >= 5, `only ${seen.organizations.length} organisations`);
  assert.equal(seen.taxonomies.length, 2);
  assert.ok(seen.terms.length >= 5);
  assert.ok(stats.responses - before > 200, `only ${stats.responses - before} answers checked`);
  // Every body is ASCII (non-ASCII characters are \u escapes), as documented.
  const r = await client.get(`${B}/services?per_page=100`);
  assert.match(r.text, /^[\x20-\x7e]*$/);
});

test('hostile records: every answer still validates and text comes back as stored', async () => {
  const ids = insertOrganisation(db.dbPath, HOSTILE);
  const [helplineId, resourceId] = ids.resources;
  const client = await restart();
  const seen = await crawl(client);
  assert.ok(seen.organizations.some((o) => o.id === ids.id), 'the hostile organisation is not listed');
  assert.ok(seen.services.some((s) => s.id === helplineId), 'the hostile service is not listed');

  // Bodies stay ASCII: U+2028 goes out as \u2028.
  const raw = await client.get(`${B}/organizations/${ids.id}`);
  assert.match(raw.text, /^[\x20-\x7e]*$/, 'a raw non-ASCII character (U+2028?) in the body');
  assert.ok(raw.text.includes('\\u2028'));

  const org = seen.organizationDetails.get(ids.id);
  assert.equal(org.name, HOSTILE.name, 'the organisation name is not published as stored');
  assert.equal(org.description, HOSTILE.description);
  assert.equal(org.website, undefined, `a javascript: website was published: ${org.website}`);
  assert.equal(org.services.length, 2);

  const helpline = seen.serviceDetails.get(helplineId);
  assert.equal(helpline.name, HOSTILE.resources[0].name);
  assert.equal(helpline.description, HOSTILE.resources[0].summary);
  assert.equal(helpline.url, undefined, `a javascript: url was published: ${helpline.url}`);
  assert.equal(helpline.minimum_age, 5);
  assert.equal(helpline.maximum_age, 12);
  assert.equal(helpline.email, 'help@example.org', 'the service e-mail should be the one valid address');
  assert.equal(helpline.organization.name, HOSTILE.name);
  assert.deepEqual(helpline.service_areas.map((a) => a.name), [HOSTILE.coverage]);
  assert.deepEqual(helpline.contacts.map((c) => c.name), HOSTILE.contacts.map((c) => c.label));
  const byLabel = Object.fromEntries(helpline.contacts.map((c) => [c.name, c]));
  for (const c of HOSTILE.contacts) {
    const got = byLabel[c.label];
    if (c.kind === 'email') {
      assert.equal(got.email, c.value === 'help@example.org' ? c.value : undefined, `contact ${c.label}: ${got.email}`);
    } else if (['website', 'report-form', 'webchat'].includes(c.kind)) {
      assert.equal(got.url, undefined, `contact ${c.label}: url ${got.url} was published`);
    } else {
      assert.equal(got.phones?.[0]?.number, c.value, `contact ${c.label}: the number is not as stored`);
    }
  }
  assert.ok(!JSON.stringify(helpline).includes(`"${JS_URL}`), 'a javascript: URL appears as a whole value');

  const other = seen.serviceDetails.get(resourceId);
  assert.equal(other.url, undefined, `" javascript:" was published as url: ${other.url}`);
  assert.equal(other.description, HOSTILE.summary, 'an empty summary should fall back to the organisation\'s');
  assert.ok(HOSTILE.summary.includes(LS));

  // The hostile service is found by its text, its terms, its ages.
  const found = async (q) => (await client.getJson(`${B}/services?per_page=100&${q}`)).contents.some((s) => s.id === helplineId);
  assert.ok(await found('search=%3Cscript%3E'), 'search=<script> does not find the hostile helpline');
  assert.ok(await found('search=O%27Reilly'), 'search=O\'Reilly does not find the hostile helpline');
  assert.ok(await found('minimum_age=12&maximum_age=12'));
  assert.ok(!(await found('minimum_age=13&maximum_age=13')));
  assert.ok(!(await found('minimum_age=0&maximum_age=4')));
});

// Values that pass the server's own URL and e-mail checks but that the
// profile's formats (uri: RFC 3986, email) reject. Each is a separate
// organisation with one service, checked only at its own routes.
const EDGE = [
  { what: 'url with unencoded [ ] in the query', url: 'https://example.org/search?filter[topic]=bullying', bad: true },
  { what: 'url with a bad percent-escape', url: 'https://example.org/100%zz', bad: true },
  { what: 'url with two #', url: 'https://example.org/page#a#b', bad: true },
  { what: 'url with pct-escapes, parentheses and a quote', url: "https://example.org/a%20b/(c)?d='e'&f=g", bad: false },
  { what: 'e-mail starting with a dot', email: '.help@example.org', bad: true },
  { what: 'e-mail with two dots in a row', email: 'help..desk@example.org', bad: true },
  { what: 'e-mail with an empty domain label', email: 'help@example..org', bad: true },
  { what: 'e-mail with _ in the domain', email: 'help@exam_ple.org', bad: true },
  { what: 'e-mail with an apostrophe and a plus', email: "o'brien+help@example.org", bad: false },
];

test('edge values: URLs and e-mail addresses the profile\'s formats reject are left out', async (t) => {
  const made = EDGE.map((e, i) => ({
    ...e,
    ...insertOrganisation(db.dbPath, {
      slug: `oruk-edge-${i}`, name: `Edge case ${i}`, summary: e.what,
      website: e.url ?? null,
      contacts: e.email ? [{ kind: 'email', label: 'E-mail', value: e.email }] : [{ kind: 'website', label: 'Web', value: e.url }],
      resources: [{ slug: `oruk-edge-resource-${i}`, name: `Edge resource ${i}`, url: e.url ?? null, audiences: ['parents'] }],
    }),
  }));
  const client = await restart();
  for (const e of made) {
    await t.test(`${e.what}: ${e.url ?? e.email}`, {}, async () => {
      await client.getJson(`${B}/services/${e.resources[0]}`);
      await client.getJson(`${B}/organizations/${e.id}`);
      await client.getJson(`${B}/services?organization_id=${e.id}`);
    });
  }
});
