// `signpost export --format oruk`: the whole directory as one HSDS document,
// {"version": "HSDS-UK-3.0", "taxonomies": [...], "organizations": [...each
// with its services fully nested]}, on stdout or into --out FILE. Run on the
// seeded directory plus the hostile organisation of lib/fixtures.mjs; every
// organisation and service must validate against the profile's compiled
// schemas, and the export must hold exactly what the feed serves.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { BINARY } from '../http/lib/server.mjs';
import { feedClient, allPages, assertSpecSchema } from './lib/feed.mjs';
import { checkLinks } from './lib/crawl.mjs';
import { schemas, assertValid } from './lib/profile.mjs';
import { seededDb, startFeed, insertOrganisation, HOSTILE } from './lib/fixtures.mjs';

const run = promisify(execFile);
const B = '/openreferral/v3';
const PUBLIC = 'https://signpost.example.org';
let db, server, client, doc, stdout, hostile;

async function exportDoc(...extra) {
  return run(BINARY, ['export', '--format', 'oruk', '--db', db.dbPath, '--public-url', PUBLIC, ...extra],
    { maxBuffer: 64 << 20, encoding: 'utf8' });
}

before(async () => {
  db = await seededDb();
  hostile = insertOrganisation(db.dbPath, HOSTILE);
  server = await startFeed({ dbPath: db.dbPath, publicUrl: PUBLIC });
  client = feedClient(server.base);
  ({ stdout } = await exportDoc());
  doc = JSON.parse(stdout);
});
after(async () => {
  if (server) await server.stop();
  if (db) await db.remove();
});

test('the export is one HSDS-UK-3.0 document; --out FILE writes the same bytes', async () => {
  assert.deepEqual(Object.keys(doc).sort(), ['organizations', 'taxonomies', 'version']);
  assert.equal(doc.version, 'HSDS-UK-3.0');
  const out = path.join(db.dir, 'export.json');
  const r = await exportDoc('--out', out);
  assert.equal(r.stdout, '', '--out still wrote to stdout');
  assert.equal(await readFile(out, 'utf8'), stdout);
  assert.deepEqual((await readdir(db.dir)).filter((f) => f.startsWith('export')), ['export.json'], 'a temporary file was left behind');
  await assert.rejects(run(BINARY, ['export', '--format', 'no-such-format', '--db', db.dbPath]), 'an unknown --format must fail');
});

test('every organisation validates against organization.json and every nested service against service.json', () => {
  checkLinks(doc, 'export');
  for (const [i, t] of doc.taxonomies.entries()) {
    assertValid(schemas.taxonomy, t, `export taxonomies[${i}]`);
    for (const [j, term] of t.taxonomy_terms.entries()) assertValid(schemas.taxonomyTerm, term, `export taxonomies[${i}].taxonomy_terms[${j}]`);
  }
  let n = 0;
  for (const [i, o] of doc.organizations.entries()) {
    assertValid(schemas.organization, o, `export organizations[${i}] (${o.name})`);
    assertSpecSchema('Organization', o, `export organizations[${i}]`);
    assert.ok(Array.isArray(o.services), `export organizations[${i}]: no services array`);
    for (const [j, s] of o.services.entries()) {
      assertValid(schemas.service, s, `export organizations[${i}].services[${j}] (${s.name})`);
      assert.equal(s.organization_id, o.id);
      n++;
    }
  }
  assert.ok(n >= 10, `only ${n} services exported`);
  const h = doc.organizations.find((o) => o.id === hostile.id);
  assert.ok(h, 'the hostile organisation is not exported');
  assert.equal(h.name, HOSTILE.name);
  assert.equal(h.website, undefined);
  assert.deepEqual(h.services.map((s) => s.id).sort(), [...hostile.resources].sort());
});

test('the export holds exactly the feed\'s organisations, services and taxonomies, with the same ids', async () => {
  const ids = (xs) => xs.map((x) => x.id).sort();
  const orgs = await allPages(client, `${B}/organizations`);
  const services = await allPages(client, `${B}/services`);
  const taxonomies = await allPages(client, `${B}/taxonomies`);
  assert.deepEqual(ids(doc.organizations), ids(orgs), 'organisation ids differ from the feed');
  assert.deepEqual(ids(doc.organizations.flatMap((o) => o.services)), ids(services), 'service ids differ from the feed');
  assert.deepEqual(ids(doc.taxonomies), ids(taxonomies), 'taxonomy ids differ from the feed');
  // Same order as the feed's lists, and the same records as its /{id} routes.
  assert.deepEqual(doc.organizations.map((o) => o.id), orgs.map((o) => o.id), 'organisations are not in the feed\'s order');
  for (const o of doc.organizations) {
    assert.deepEqual(o, await client.getJson(`${B}/organizations/${o.id}`), `organisation ${o.id} differs from the feed's`);
  }
  for (const t of doc.taxonomies) {
    assert.deepEqual(t, await client.getJson(`${B}/taxonomies/${t.id}`), `taxonomy ${t.id} differs from the feed's`);
  }
});
