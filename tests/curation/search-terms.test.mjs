// The search lexicon through the write API: search_terms on organisations
// (editors) and topics (admins), checked like every field (never a phone
// number or address), kept in revisions, found by search at once, carried by
// export and import. Every answer is validated against the OpenAPI document.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { raw } from '../http/lib/http.mjs';
import { ORGS, call, cli, createToken, get, startServer, tempDb } from './lib/curation.mjs';
import { tempDir } from '../http/lib/server.mjs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TOP = '/api/v1/topics';
const MERGE = 'application/merge-patch+json';

let db, server, base, editor, admin;

before(async () => {
  db = await tempDb();
  editor = await createToken(db.dbPath, 'eddie', 'editor');
  admin = await createToken(db.dbPath, 'ada', 'admin');
  server = await startServer({ dbPath: db.dbPath });
  base = server.base;
});
after(async () => {
  await server?.stop();
  await db?.remove();
});

async function patch(p, json, token) {
  const r0 = await raw(base, { path: p });
  return call(base, 'PATCH', p, { token, json, ifMatch: r0.headers.etag, contentType: MERGE });
}
const found = async (q) => (await get(`${base}${ORGS}?per_page=100&q=${encodeURIComponent(q)}`)).json.items
  .map((o) => o.slug);

describe('search terms on organisations', () => {
  it('are shown, replaced by a PATCH, lower-cased without duplicates, and found by search at once', async () => {
    const before = (await get(`${base}${ORGS}/childnet`)).json;
    assert.ok(Array.isArray(before.search_terms));
    assert.ok(!(await found('zebracrossing')).includes('childnet'), 'premise: not found before');
    const r = await patch(`${ORGS}/childnet`, { search_terms: ['Zebracrossing', 'zebracrossing', 'lollipop lady'] }, editor);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.search_terms, ['zebracrossing', 'lollipop lady']);
    assert.deepEqual((await found('zebracrossing'))[0], 'childnet');
    assert.ok((await found('lollipop')).includes('childnet'));
  });

  it('are kept when a write leaves them out', async () => {
    const r = await patch(`${ORGS}/childnet`, { summary: 'Changed summary.' }, editor);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.search_terms, ['zebracrossing', 'lollipop lady']);
  });

  it('are in the revision, before and after', async () => {
    const r = await call(base, 'GET', `${ORGS}/childnet/revisions`, { token: editor });
    assert.equal(r.status, 200, r.text);
    const change = r.json.items.find((x) => x.after?.search_terms?.includes('zebracrossing') &&
      !x.before?.search_terms?.includes('zebracrossing'));
    assert.ok(change, 'a revision shows the terms arriving');
  });

  it('refuse a phone number, a web or email address, odd characters and too many, each at its pointer', async () => {
    const bad = ['0808 800 5000', 'www.example.org', 'help@example.org', 'https://x', 'a<b>', '', 'x'.repeat(61)];
    const r = await patch(`${ORGS}/childnet`, { search_terms: ['fine', ...bad] }, editor);
    assert.equal(r.status, 422, r.text);
    const names = r.json.errors.map((e) => e.name);
    for (let i = 1; i <= bad.length; i++) assert.ok(names.includes(`/search_terms/${i}`), `${names}`);
    assert.ok(!names.includes('/search_terms/0'), 'the fine term is fine');
    const many = await patch(`${ORGS}/childnet`, { search_terms: Array.from({ length: 201 }, (_, i) => `t${i}`) }, editor);
    assert.equal(many.status, 422, many.text);
    assert.deepEqual((await get(`${base}${ORGS}/childnet`)).json.search_terms, ['zebracrossing', 'lollipop lady'],
      'nothing changed');
  });
});

describe('search terms on topics', () => {
  it('need an admin, are shown on the topic, and find every organisation filed under it', async () => {
    const denied = await patch(`${TOP}/cyberbullying`, { search_terms: ['quokka'] }, editor);
    assert.equal(denied.status, 403, denied.text);
    const r = await patch(`${TOP}/cyberbullying`, { search_terms: ['quokka', 'mean messages'] }, admin);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.search_terms, ['quokka', 'mean messages']);
    const tagged = (await get(`${base}${ORGS}?topic=cyberbullying&per_page=100`)).json.items.map((o) => o.slug);
    const hits = await found('quokka');
    assert.deepEqual([...hits].sort(), [...tagged].sort(), 'exactly the organisations of the topic');
    const list = (await get(`${base}${ORGS}?q=quokka`)).json;
    assert.ok(list.topics_meant.some((t) => t.slug === 'cyberbullying'), 'the topic is named');
  });
});

describe('search terms in export and import', () => {
  it('travel with the directory: export, import into an empty database, export again is byte-identical', async () => {
    const { dir, remove } = await tempDir('signpost-terms-');
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    let r = await cli(['export', '--db', db.dbPath, '--format', 'json', '--out', a]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(await readFile(a, 'utf8'));
    assert.deepEqual(doc.organisations.find((o) => o.slug === 'childnet').search_terms, ['zebracrossing', 'lollipop lady']);
    assert.ok(doc.topics.find((t) => t.slug === 'cyberbullying').search_terms.includes('quokka'));
    const fresh = path.join(dir, 'fresh.db');
    r = await cli(['import', a, '--db', fresh]); // a new file is created empty, not seeded
    assert.equal(r.code, 0, r.stderr);
    r = await cli(['export', '--db', fresh, '--format', 'json', '--out', b]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(b, 'utf8'), await readFile(a, 'utf8'));
    await remove();
  });
});
