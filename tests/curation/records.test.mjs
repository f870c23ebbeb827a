// Records and their one rule: import (JSON and CSV) and the write API accept
// and refuse the same values; a PATCH starts from the record as stored (not
// from the public view, which withholds unsafe web addresses), changes only
// the members it names, and never fails because of a member it left alone;
// a revision keeps the record as it was stored, before and after.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertProblem, sql } from '../http/lib/api.mjs';
import {
  ORGS, call, cli, createToken, get, newOrg, parseCsv, startServer, tempDb, writeCsv,
} from './lib/curation.mjs';

const RES = '/api/v1/resources';
const MERGE = 'application/merge-patch+json';
const SPACED = 'https://example.org/a b';
const CSV_COLUMNS = ['id', 'slug', 'name', 'summary', 'description', 'website', 'kind', 'coverage',
  'audiences', 'topics', 'phones', 'emails', 'last_reviewed', 'source', 'updated_at', 'archived_at'];
const SLUG_REASON = 'must be lower-case letters, digits and hyphens';
const WEB_REASON = 'must be a web address';

// ---- helpers ----------------------------------------------------------------

// The JSON export of a database, as text (for byte comparisons).
async function exportText(dbPath, format = 'json') {
  const r = await cli(['export', '--format', format, '--db', dbPath]);
  assert.equal(r.code, 0, `export ${format}: ${r.stderr}`);
  return r.stdout;
}
const exportDoc = async (dbPath) => JSON.parse(await exportText(dbPath));

// Writes text to dir/name and runs `signpost import` on it.
async function importText(dbPath, dir, name, text) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return cli(['import', file, '--db', dbPath]);
}

const orgIn = (doc, slug) => doc.organisations.find((o) => o.slug === slug);
const orgById = (doc, id) => doc.organisations.find((o) => o.id === id);
function resourceById(doc, id) {
  for (const o of doc.organisations) {
    const r = o.resources.find((x) => x.id === id);
    if (r) return r;
  }
  return undefined;
}
function resourceAt(doc, slug) {
  for (const [i, o] of doc.organisations.entries()) {
    const k = o.resources.findIndex((x) => x.slug === slug);
    if (k >= 0) return { i, k, org: o, res: o.resources[k] };
  }
  throw new Error(`no resource ${slug} in the export`);
}

// The line each CSV row starts on (fields may hold newlines).
function rowLines(rows) {
  const lines = [];
  let line = 1;
  for (const r of rows) {
    lines.push(line);
    line += 1 + r.reduce((n, f) => n + (f.match(/\n/g) || []).length, 0);
  }
  return lines;
}

// The record's revisions from the database, oldest first:
// [{n, action, actor, before, after}] with before/after parsed.
function revisionsOf(dbPath, entity, id) {
  return sql(dbPath, `SELECT json_object('n', n, 'action', action, 'actor', actor, 'before', before, 'after', after)
                        FROM revision WHERE entity = '${entity}' AND entity_id = '${id}' ORDER BY n`)
    .map((l) => JSON.parse(l))
    .map((r) => ({ ...r, before: JSON.parse(r.before ?? 'null'), after: JSON.parse(r.after ?? 'null') }));
}
const lastRevision = (dbPath, entity, id) => revisionsOf(dbPath, entity, id).at(-1);

// Asserts that a revision's copy of a record says what the export says was
// stored: every member the two share is equal (objects and lists member by
// member; the revision may carry derived members such as url or href that
// the export does not, and the export curation state the revision does not).
function assertKeeps(kept, stored, where) {
  if (kept && stored && typeof kept === 'object' && typeof stored === 'object' &&
      Array.isArray(kept) === Array.isArray(stored)) {
    if (Array.isArray(kept)) {
      assert.equal(kept.length, stored.length, `${where}: length`);
      kept.forEach((v, i) => assertKeeps(v, stored[i], `${where}/${i}`));
      return;
    }
    for (const k of Object.keys(kept)) {
      if (k in stored) assertKeeps(kept[k], stored[k], `${where}/${k}`);
    }
    return;
  }
  assert.deepEqual(kept, stored, `${where}: the revision says ${JSON.stringify(kept)}, ` +
    `the database held ${JSON.stringify(stored)}`);
}

// A copy of a stored record without the members a write may change besides
// the one it names.
function without(record, ...keys) {
  const copy = structuredClone(record);
  for (const k of ['updated_at', ...keys]) delete copy[k];
  return copy;
}

// A new database (created, migrated, seeded) with an editor's token. Changes
// made by `prepare(dbPath)` (SQL straight into the file) happen before the
// server starts, so that it never holds an older copy.
async function freshServer(prefix, prepare = () => {}) {
  const db = await tempDb(prefix);
  const token = await createToken(db.dbPath, 'editor', 'editor');
  prepare(db.dbPath);
  const server = await startServer({ dbPath: db.dbPath });
  return {
    db, token, server, base: server.base,
    close: async () => { await server.stop(); await db.remove(); },
  };
}

// PATCHes a record with the ETag its GET gives; returns the answer.
async function patch(base, token, urlPath, body) {
  const g = await get(base + urlPath);
  assert.equal(g.status, 200, `GET ${urlPath}: ${g.text}`);
  return call(base, 'PATCH', urlPath, { token, json: body, contentType: MERGE, ifMatch: g.headers.get('etag') });
}

function resourceBody(slug, extra = {}) {
  return {
    slug, name: `Resource ${slug}`, type: 'education-pack', url: `https://example.org/${slug}`,
    summary: 'Made by the records tests.', age_min: 11, age_max: 14,
    audiences: ['professionals', 'young-people'], topics: ['cyberbullying'], source: 'The records tests', ...extra,
  };
}

// ---- one server for the rule tests -------------------------------------------

let env;
before(async () => { env = await freshServer('signpost-records-'); });
after(async () => { await env?.close(); });

describe('a resource slug ending in a hyphen (trailing-)', () => {
  // The write API's rule, which import must share: trailing- is refused on create and on rename.
  it('the write API refuses it on create and on rename, with a 422 on /slug', async () => {
    const made = await call(env.base, 'POST', `${ORGS}/nspcc/resources`, { token: env.token, json: resourceBody('trailing-') });
    const p = assertProblem(made, 422, 'POST a resource with the slug trailing-');
    assert.deepEqual(p.errors.map((e) => e.name), ['/slug'], made.text);
    const renamed = await patch(env.base, env.token, `${RES}/nspcc-online-safety-advice`, { slug: 'trailing-' });
    const q = assertProblem(renamed, 422, 'PATCH a resource\'s slug to trailing-');
    assert.deepEqual(q.errors.map((e) => e.name), ['/slug'], renamed.text);
    assert.equal((await get(`${env.base}${RES}/trailing-`)).status, 404);
  });

  // Import and the API agree: a JSON import with a resource slugged trailing- is refused, naming the record and field, and changes nothing.
  it('a JSON import refuses it as the API does, naming the record and field, and changes nothing', async () => {
    const before_ = await exportText(env.db.dbPath);
    const doc = JSON.parse(before_);
    const { i, k } = resourceAt(doc, 'stop-speak-support');
    doc.organisations[i].resources[k].slug = 'trailing-';
    const api = await call(env.base, 'POST', `${ORGS}/nspcc/resources`, { token: env.token, json: resourceBody('trailing-') });
    const r = await importText(env.db.dbPath, env.db.dir, 'trailing-resource.json', JSON.stringify(doc, null, 2));
    assert.equal(r.code === 0, api.status === 201,
      `import and the write API must agree on the slug trailing-: the API answered ${api.status}, ` +
      `the import exited ${r.code}\n${r.stderr}`);
    assert.notEqual(r.code, 0, 'the import is refused');
    const at = `/organisations/${i}/resources/${k}/slug: ${SLUG_REASON}`;
    assert.ok(r.stderr.includes(`  ${at}`), `the import reports ${at}:\n${r.stderr}`);
    assert.match(r.stderr, /nothing was imported/);
    assert.equal(await exportText(env.db.dbPath), before_, 'nothing changed');
  });

  // Organisations keep the same agreement: JSON and CSV import refuse the slug trailing- as POST does.
  it('for an organisation, JSON and CSV import refuse it as the API does, and change nothing', async () => {
    const api = await call(env.base, 'POST', ORGS, { token: env.token, json: newOrg('org-trailing-') });
    const p = assertProblem(api, 422, 'POST an organisation with the slug org-trailing-');
    assert.deepEqual(p.errors.map((e) => e.name), ['/slug']);

    const before_ = await exportText(env.db.dbPath);
    const doc = JSON.parse(before_);
    const i = doc.organisations.findIndex((o) => o.slug === 'childnet');
    doc.organisations[i].slug = 'childnet-';
    const j = await importText(env.db.dbPath, env.db.dir, 'trailing-org.json', JSON.stringify(doc, null, 2));
    assert.notEqual(j.code, 0, `the JSON import is refused:\n${j.stderr}`);
    assert.ok(j.stderr.includes(`  /organisations/${i}/slug: ${SLUG_REASON}`), j.stderr);

    const rows = parseCsv(await exportText(env.db.dbPath, 'csv'));
    const row = rows.findIndex((x) => x[CSV_COLUMNS.indexOf('slug')] === 'childnet');
    rows[row][CSV_COLUMNS.indexOf('slug')] = 'childnet-';
    const c = await importText(env.db.dbPath, env.db.dir, 'trailing-org.csv', writeCsv(rows));
    assert.notEqual(c.code, 0, `the CSV import is refused:\n${c.stderr}`);
    assert.ok(c.stderr.includes(`  line ${rowLines(rows)[row]} /slug: ${SLUG_REASON}`), c.stderr);
    assert.equal(await exportText(env.db.dbPath), before_, 'nothing changed');
  });
});

describe('a web address with a space (https://example.org/a b)', () => {
  // The write API's rule: a resource url and an organisation website with a space are 422 on their field.
  it('the write API refuses it as a resource url and an organisation website', async () => {
    const res = await call(env.base, 'POST', `${ORGS}/nspcc/resources`, { token: env.token, json: resourceBody('spaced-url', { url: SPACED }) });
    assert.deepEqual(assertProblem(res, 422, 'POST a resource with a spaced url').errors.map((e) => [e.name, e.in]), [['/url', 'body']]);
    const set = await patch(env.base, env.token, `${RES}/nspcc-helpline`, { url: SPACED });
    assert.deepEqual(assertProblem(set, 422, 'PATCH a resource url with a space').errors.map((e) => e.name), ['/url']);
    const org = await call(env.base, 'POST', ORGS, { token: env.token, json: newOrg('spaced-website', { website: SPACED }) });
    assert.deepEqual(assertProblem(org, 422, 'POST an organisation with a spaced website').errors.map((e) => e.name), ['/website']);
    assert.equal((await get(`${env.base}${RES}/spaced-url`)).status, 404);
    assert.equal((await get(`${env.base}${ORGS}/spaced-website`)).status, 404);
  });

  // Import and the API agree: a JSON import with a resource url with a space is refused, naming the record and field, and changes nothing.
  it('a JSON import refuses it as a resource url, naming the record and field, and changes nothing', async () => {
    const before_ = await exportText(env.db.dbPath);
    const doc = JSON.parse(before_);
    const { i, k } = resourceAt(doc, 'childline-helpline');
    doc.organisations[i].resources[k].url = SPACED;
    const api = await call(env.base, 'POST', `${ORGS}/nspcc/resources`, { token: env.token, json: resourceBody('spaced-url-2', { url: SPACED }) });
    const r = await importText(env.db.dbPath, env.db.dir, 'spaced-resource.json', JSON.stringify(doc, null, 2));
    assert.equal(r.code === 0, api.status === 201,
      `import and the write API must agree on the url ${SPACED}: the API answered ${api.status}, ` +
      `the import exited ${r.code}\n${r.stderr}`);
    assert.notEqual(r.code, 0, 'the import is refused');
    const at = `/organisations/${i}/resources/${k}/url: ${WEB_REASON}`;
    assert.ok(r.stderr.includes(`  ${at}`), `the import reports ${at}:\n${r.stderr}`);
    assert.equal(await exportText(env.db.dbPath), before_, 'nothing changed');
  });

  // Organisations keep the same agreement: JSON and CSV import refuse a website with a space.
  it('JSON and CSV import refuse it as an organisation website, and change nothing', async () => {
    const before_ = await exportText(env.db.dbPath);
    const doc = JSON.parse(before_);
    const i = doc.organisations.findIndex((o) => o.slug === 'pshe-association');
    doc.organisations[i].website = SPACED;
    const j = await importText(env.db.dbPath, env.db.dir, 'spaced-org.json', JSON.stringify(doc, null, 2));
    assert.notEqual(j.code, 0, `the JSON import is refused:\n${j.stderr}`);
    assert.ok(j.stderr.includes(`  /organisations/${i}/website: ${WEB_REASON}`), j.stderr);

    const rows = parseCsv(await exportText(env.db.dbPath, 'csv'));
    const row = rows.findIndex((x) => x[CSV_COLUMNS.indexOf('slug')] === 'pshe-association');
    rows[row][CSV_COLUMNS.indexOf('website')] = SPACED;
    const c = await importText(env.db.dbPath, env.db.dir, 'spaced-org.csv', writeCsv(rows));
    assert.notEqual(c.code, 0, `the CSV import is refused:\n${c.stderr}`);
    assert.ok(c.stderr.includes(`  line ${rowLines(rows)[row]} /website: ${WEB_REASON}`), c.stderr);
    assert.equal(await exportText(env.db.dbPath), before_, 'nothing changed');
  });
});

// Records stored before today's rules (or by an older import) may hold values
// the rules now refuse. They are written here straight into the database.
describe('records already stored with values the rules refuse', () => {
  // A resource whose stored url the public view withholds: a PATCH of summary keeps the stored url, and the revision shows it before and after.
  it('a resource url the public view withholds survives a PATCH of its summary, and the revision keeps it', async () => {
    const s = await freshServer('signpost-records-url-', (dbPath) =>
      sql(dbPath, `UPDATE resource SET url = '${SPACED}' WHERE slug = 'ceop-safety-centre'`));
    try {
      const shown = await get(`${s.base}${RES}/ceop-safety-centre`);
      assert.equal(shown.status, 200);
      assert.equal(shown.json.url, null, 'the public view withholds the unsafe url (the case this test is about)');
      const stored = resourceAt(await exportDoc(s.db.dbPath), 'ceop-safety-centre').res;
      assert.equal(stored.url, SPACED, 'the export shows the stored url');

      const r = await patch(s.base, s.token, `${RES}/ceop-safety-centre`, { summary: 'Changed by the records tests.' });
      assert.equal(r.status, 200, `a PATCH of summary alone must not fail because of the url it did not touch: ${r.text}`);
      const now = resourceById(await exportDoc(s.db.dbPath), stored.id);
      assert.equal(now.url, SPACED, 'the stored url is unchanged (not NULL)');
      assert.deepEqual(without(now, 'summary'), without(stored, 'summary'), 'nothing else changed');
      const rev = lastRevision(s.db.dbPath, 'resource', stored.id);
      assert.equal(rev.action, 'update');
      assert.equal(rev.before.url, SPACED, 'the revision\'s before shows the stored url, not null');
      assert.equal(rev.after.url, SPACED, 'the revision\'s after shows the stored url, not null');
      assertKeeps(rev.before, stored, 'revision before');
      assertKeeps(rev.after, now, 'revision after');
    } finally {
      await s.close();
    }
  });

  // An organisation whose stored website the public view withholds: a PATCH of summary keeps it, and the revision shows it before and after.
  it('an organisation website the public view withholds survives a PATCH of its summary, and the revision keeps it', async () => {
    const s = await freshServer('signpost-records-web-', (dbPath) =>
      sql(dbPath, `UPDATE organisation SET website = '${SPACED}' WHERE slug = 'childnet'`));
    try {
      const shown = await get(`${s.base}${ORGS}/childnet`);
      assert.equal(shown.status, 200);
      assert.equal(shown.json.website, null, 'the public view withholds the unsafe website (the case this test is about)');
      const stored = orgIn(await exportDoc(s.db.dbPath), 'childnet');
      assert.equal(stored.website, SPACED);

      const r = await patch(s.base, s.token, `${ORGS}/childnet`, { summary: 'Changed by the records tests.' });
      assert.equal(r.status, 200, `a PATCH of summary alone must not fail because of the website it did not touch: ${r.text}`);
      const now = orgById(await exportDoc(s.db.dbPath), stored.id);
      assert.equal(now.website, SPACED, 'the stored website is unchanged (not NULL)');
      assert.deepEqual(without(now, 'summary'), without(stored, 'summary'), 'nothing else changed');
      const rev = lastRevision(s.db.dbPath, 'organisation', stored.id);
      assert.equal(rev.action, 'update');
      assert.equal(rev.before.website, SPACED, 'the revision\'s before shows the stored website, not null');
      assert.equal(rev.after.website, SPACED, 'the revision\'s after shows the stored website, not null');
      assertKeeps(rev.before, stored, 'revision before');
      assertKeeps(rev.after, now, 'revision after');
    } finally {
      await s.close();
    }
  });

  // A stored resource slug the rules now refuse (trailing-) does not stop a PATCH of another member, and is kept.
  it('a stored resource slug ending in a hyphen does not make a PATCH of the summary fail, and stays as it is', async () => {
    const s = await freshServer('signpost-records-slug-', (dbPath) =>
      sql(dbPath, "UPDATE resource SET slug = 'trailing-' WHERE slug = 'stop-speak-support'"));
    try {
      const res = resourceAt(await exportDoc(s.db.dbPath), 'trailing-').res;
      const r = await patch(s.base, s.token, `${RES}/trailing-`, { summary: 'x' });
      assert.equal(r.status, 200, `PATCH {"summary":"x"} of the resource trailing- must not fail on the slug it did not touch: ${r.text}`);
      const now = resourceById(await exportDoc(s.db.dbPath), res.id);
      assert.equal(now.summary, 'x');
      assert.deepEqual(without(now, 'summary'), without(res, 'summary'), 'the resource keeps its slug and the rest');
    } finally {
      await s.close();
    }
  });

  // A stored organisation slug the rules now refuse (childnet-) does not stop a PATCH of another member, and is kept.
  it('a stored organisation slug ending in a hyphen does not make a PATCH of the summary fail, and stays as it is', async () => {
    const s = await freshServer('signpost-records-oslug-', (dbPath) =>
      sql(dbPath, "UPDATE organisation SET slug = 'childnet-' WHERE slug = 'childnet'"));
    try {
      const org = orgIn(await exportDoc(s.db.dbPath), 'childnet-');
      const o = await patch(s.base, s.token, `${ORGS}/childnet-`, { summary: 'x' });
      assert.equal(o.status, 200, `PATCH {"summary":"x"} of the organisation childnet- must not fail on the slug it did not touch: ${o.text}`);
      const now = orgById(await exportDoc(s.db.dbPath), org.id);
      assert.equal(now.summary, 'x');
      assert.deepEqual(without(now, 'summary'), without(org, 'summary'), 'the organisation keeps its slug and the rest');
    } finally {
      await s.close();
    }
  });
});

describe('a PATCH of one member leaves every other member as stored', () => {
  // Organisations: each single-member PATCH changes that member alone (full export compared), and its revision's before/after are what was stored.
  it('organisations: each member in turn', async () => {
    const reviewed = await call(env.base, 'POST', `${ORGS}/nspcc/review`, { token: env.token });
    assert.equal(reviewed.status, 200, reviewed.text);
    const id = orgIn(await exportDoc(env.db.dbPath), 'nspcc').id;
    let slug = 'nspcc';
    const changes = [
      ['name', 'NSPCC (records tests)'],
      ['summary', 'A summary set by the records tests.'],
      ['description', 'A description set by the records tests.'],
      ['website', 'https://example.org/nspcc-records'],
      ['kind', 'other'],
      ['coverage', 'England'],
      ['source', 'The records tests'],
      ['audiences', ['children']],
      ['topics', ['grooming', 'sharing-nudes']],
      ['contacts', [{ kind: 'email', label: 'Records', value: 'records@example.org', hours: null }]],
      ['website', null],
      ['slug', 'nspcc-records'],
    ];
    for (const [field, value] of changes) {
      const was = orgById(await exportDoc(env.db.dbPath), id);
      const r = await patch(env.base, env.token, `${ORGS}/${slug}`, { [field]: value });
      assert.equal(r.status, 200, `PATCH ${field}: ${r.text}`);
      const now = orgById(await exportDoc(env.db.dbPath), id);
      assert.notDeepEqual(now[field], was[field], `PATCH ${field} changed it`);
      if (!Array.isArray(value)) assert.equal(now[field], value, `PATCH ${field} stored what was sent`);
      assert.deepEqual(without(now, field), without(was, field), `PATCH ${field} changed nothing else`);
      const rev = lastRevision(env.db.dbPath, 'organisation', id);
      assert.equal(rev.action, 'update', `PATCH ${field}`);
      assertKeeps(rev.before, was, `PATCH ${field}: revision before`);
      assertKeeps(rev.after, now, `PATCH ${field}: revision after`);
      slug = now.slug;
    }
    const final = orgById(await exportDoc(env.db.dbPath), id);
    assert.equal(final.reviewed_by, 'editor', 'the review survived every PATCH');
    assert.deepEqual(final.topics.slice().sort(), ['grooming', 'sharing-nudes']);
    assert.deepEqual(final.audiences, ['children']);
  });

  // Resources: each single-member PATCH changes that member alone (full export compared), and its revision's before/after are what was stored.
  it('resources: each member in turn', async () => {
    const made = await call(env.base, 'POST', `${ORGS}/ceop/resources`, { token: env.token, json: resourceBody('records-rich') });
    assert.equal(made.status, 201, made.text);
    const id = made.json.id;
    let slug = 'records-rich';
    const changes = [
      ['name', 'Records rich (changed)'],
      ['type', 'film'],
      ['url', 'https://example.org/records-rich-film'],
      ['summary', 'A summary set by the records tests.'],
      ['age_min', 9],
      ['age_max', 16],
      ['audiences', ['parents']],
      ['topics', ['grooming']],
      ['source', 'The records tests, again'],
      ['url', null],
      ['age_min', null],
      ['slug', 'records-rich-2'],
    ];
    for (const [field, value] of changes) {
      const wasDoc = await exportDoc(env.db.dbPath);
      const was = resourceById(wasDoc, id);
      const r = await patch(env.base, env.token, `${RES}/${slug}`, { [field]: value });
      assert.equal(r.status, 200, `PATCH ${field}: ${r.text}`);
      const nowDoc = await exportDoc(env.db.dbPath);
      const now = resourceById(nowDoc, id);
      assert.notDeepEqual(now[field], was[field], `PATCH ${field} changed it`);
      if (!Array.isArray(value)) assert.equal(now[field], value, `PATCH ${field} stored what was sent`);
      assert.deepEqual(without(now, field), without(was, field), `PATCH ${field} changed nothing else`);
      const owner = (doc) => doc.organisations.find((o) => o.resources.some((x) => x.id === id));
      assert.deepEqual(without(owner(nowDoc), 'resources'), without(owner(wasDoc), 'resources'),
        `PATCH ${field} of a resource leaves its organisation alone`);
      const rev = lastRevision(env.db.dbPath, 'resource', id);
      assert.equal(rev.action, 'update', `PATCH ${field}`);
      assertKeeps(rev.before, was, `PATCH ${field}: revision before`);
      assertKeeps(rev.after, now, `PATCH ${field}: revision after`);
      slug = now.slug;
    }
  });
});
