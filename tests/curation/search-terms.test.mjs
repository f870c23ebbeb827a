// The search lexicon through the write API: search_terms on organisations
// (editors) and topics (admins), checked like every field (never a phone
// number or address), written with If-Match and kept in revisions, found by
// search at once (corrections included), carried by export and import.
// Every answer is validated against the OpenAPI document.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { raw } from '../http/lib/http.mjs';
import { assertProblem, sql } from '../http/lib/api.mjs';
import { ORGS, assertWriteHeaders, call, cli, createToken, get, newOrg, startServer, tempDb } from './lib/curation.mjs';
import { tempDir } from '../http/lib/server.mjs';
import { readFile, writeFile } from 'node:fs/promises';
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

const etagOf = async (p) => (await raw(base, { path: p })).headers.etag;
async function patch(p, json, token) {
  return call(base, 'PATCH', p, { token, json, ifMatch: await etagOf(p), contentType: MERGE });
}
async function put(p, json, token) {
  return call(base, 'PUT', p, { token, json, ifMatch: await etagOf(p) });
}
const read = async (p) => (await get(base + p)).json;
const list = async (q, extra = '') => (await get(`${base}${ORGS}?per_page=100&q=${encodeURIComponent(q)}${extra}`)).json;
const found = async (q, extra) => (await list(q, extra)).items.map((o) => o.slug);
const termsOf = async (p) => (await read(p)).search_terms;

// The newest revision of a record (any entity) from the database itself:
// topics keep revisions, but no route lists them.
function lastRevision(entity, slug) {
  const [row] = sql(db.dbPath,
    `SELECT json_object('action', action, 'actor', actor, 'before', json(before), 'after', json(after))` +
    ` FROM revision WHERE entity = '${entity}' AND json_extract(coalesce(after, before), '$.slug') = '${slug}'` +
    ' ORDER BY pk DESC LIMIT 1');
  return row ? JSON.parse(row) : null;
}

describe('search terms on organisations', () => {
  it('are shown, replaced by a PATCH, lower-cased without duplicates, and found by search at once', async () => {
    const before = await read(`${ORGS}/childnet`);
    assert.ok(Array.isArray(before.search_terms));
    assert.ok(!(await found('zebra')).includes('childnet'), 'premise: not found before');
    assert.ok(!(await found('lollipop')).includes('childnet'), 'premise: not found before');
    const r = await patch(`${ORGS}/childnet`,
      { search_terms: ['Zebra Crossing', 'zebra crossing', 'lollipop lady', 'hopscotching'] }, editor);
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'PATCH search_terms');
    assert.deepEqual(r.json.search_terms, ['zebra crossing', 'lollipop lady', 'hopscotching']);
    assert.deepEqual(await termsOf(`${ORGS}/childnet`), r.json.search_terms, 'GET shows what the write answered');
    assert.equal((await found('zebra'))[0], 'childnet');
    assert.ok((await found('lollipop')).includes('childnet'));
  });

  it('reach typo correction at once, said in the words as written', async () => {
    // "hopscotching" is written nowhere else in the directory; "hopskotching"
    // is one letter off and no prefix of it.
    const r = await list('hopskotching');
    assert.ok(r.items.map((o) => o.slug).includes('childnet'), JSON.stringify(r.items.map((o) => o.slug)));
    assert.deepEqual(r.corrected, { hopskotching: 'hopscotching' });
    assert.equal((await list('hopskotching', '&exact=true')).total, 0, 'as typed, it finds nothing');
  });

  it('are kept when a write leaves them out (PATCH and PUT), and emptied by []', async () => {
    let r = await patch(`${ORGS}/childnet`, { summary: 'Changed summary.' }, editor);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.search_terms, ['zebra crossing', 'lollipop lady', 'hopscotching']);
    const { search_terms: _t, ...whole } = await read(`${ORGS}/childnet`);
    r = await put(`${ORGS}/childnet`, whole, editor);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.search_terms, ['zebra crossing', 'lollipop lady', 'hopscotching'], 'PUT without the member');
    // another organisation: a term, then none
    r = await patch(`${ORGS}/parent-info`, { search_terms: ['quagga'] }, editor);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await found('quagga'), ['parent-info']);
    r = await patch(`${ORGS}/parent-info`, { search_terms: [] }, editor);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.search_terms, []);
    assert.equal((await list('quagga', '&exact=true')).total, 0, 'the removed term finds nothing at once');
  });

  it('are set by POST and PUT in the order sent', async () => {
    const r = await call(base, 'POST', ORGS, { token: editor,
      json: newOrg('terms-new', { search_terms: ['Wombat Walks', 'aardvark', 'wombat walks'] }) });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.search_terms, ['wombat walks', 'aardvark']);
    assert.deepEqual(await found('aardvark'), ['terms-new']);
    const p = await put(`${ORGS}/terms-new`, newOrg('terms-new', { search_terms: ['numbat', 'aardvark'] }), editor);
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(p.json.search_terms, ['numbat', 'aardvark']);
    assert.ok(!(await found('wombat', '&exact=true')).includes('terms-new'), 'the replaced term is gone');
    assert.deepEqual(await found('numbat'), ['terms-new']);
  });

  it('are in the revision, before and after', async () => {
    const r = await call(base, 'GET', `${ORGS}/childnet/revisions`, { token: editor });
    assert.equal(r.status, 200, r.text);
    const change = r.json.items.find((x) => x.after?.search_terms?.includes('zebra crossing') &&
      !x.before?.search_terms?.includes('zebra crossing'));
    assert.ok(change, 'a revision shows the terms arriving');
    assert.ok(Array.isArray(change.before.search_terms), 'before has its terms too');
    assert.equal(change.actor, 'eddie');
  });

  it('need If-Match like every write: 428 without, 412 when stale, nothing changed', async () => {
    const p = `${ORGS}/childnet`;
    const tag = await etagOf(p);
    const missing = await call(base, 'PATCH', p, { token: editor, json: { search_terms: ['nope'] }, contentType: MERGE });
    assertProblem(missing, 428, 'PATCH without If-Match');
    const terms = ['zebra crossing', 'lollipop lady', 'hopscotching'];
    const ok = await call(base, 'PATCH', p, { token: editor, json: { search_terms: [...terms, 'skipping rope'] },
      ifMatch: tag, contentType: MERGE });
    assert.equal(ok.status, 200, ok.text);
    assert.notEqual(ok.headers.get('etag'), tag, 'a new term is a new version');
    const stale = await call(base, 'PATCH', p, { token: editor, json: { search_terms: ['nope'] }, ifMatch: tag, contentType: MERGE });
    assertProblem(stale, 412, 'PATCH with a stale tag');
    assert.deepEqual(await termsOf(p), [...terms, 'skipping rope']);
    assert.ok(!(await found('nope', '&exact=true')).includes('childnet'));
    const back = await patch(p, { search_terms: terms }, editor);
    assert.equal(back.status, 200, back.text);
  });

  it('refuse a phone number, a web or email address, odd characters and bad lengths, each at its pointer', async () => {
    const bad = ['0808 800 5000', '0800 1111', '12345', 'www.example.org', 'help@example.org', 'https://x', 'a/b',
      'time: now', 'a<b>', '', 'x'.repeat(61), 42, null, ['nested']];
    const r = await patch(`${ORGS}/childnet`, { search_terms: ['fine', ...bad, "can't stop"] }, editor);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.type, '/problems/invalid-record');
    const names = r.json.errors.map((e) => e.name);
    for (let i = 1; i <= bad.length; i++) assert.ok(names.includes(`/search_terms/${i}`), `${JSON.stringify(bad[i - 1])}: ${names}`);
    assert.ok(!names.includes('/search_terms/0'), 'the fine term is fine');
    assert.ok(!names.includes(`/search_terms/${bad.length + 1}`), 'an apostrophe is fine');
    for (const e of r.json.errors) assert.equal(e.in, 'body');
    assert.deepEqual(await termsOf(`${ORGS}/childnet`), ['zebra crossing', 'lollipop lady', 'hopscotching'],
      'nothing changed');
  });

  it('refuse more than 200, or a member that is not a list, at /search_terms', async () => {
    for (const value of [Array.from({ length: 201 }, (_, i) => `t${i}`), 'zebra', { a: 'b' }]) {
      const r = await patch(`${ORGS}/childnet`, { search_terms: value }, editor);
      assert.equal(r.status, 422, r.text);
      assert.ok(r.json.errors.some((e) => e.name === '/search_terms'), r.text);
    }
  });

  it('take 200 terms, 60 characters, four digits and "ring 999"', async () => {
    const many = Array.from({ length: 197 }, (_, i) => `term ${i}`);
    const edge = ['y'.repeat(60), 'year 2024', 'ring 999'];
    const r = await patch(`${ORGS}/terms-new`, { search_terms: [...many, ...edge] }, editor);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.search_terms.length, 200);
    assert.deepEqual(r.json.search_terms.slice(-3), edge);
  });

  it('take letters beyond ASCII ("café", "naïve")', async () => {
    const r = await patch(`${ORGS}/terms-new`, { search_terms: ['café', 'naïve'] }, editor);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.search_terms, ['café', 'naïve']);
  });
});

describe('search terms on topics', () => {
  it('need an admin, are shown on the topic, and find every organisation filed under it', async () => {
    const denied = await patch(`${TOP}/cyberbullying`, { search_terms: ['quokka'] }, editor);
    assert.equal(denied.status, 403, denied.text);
    assert.equal((await list('quokka')).total, 0, 'premise: nothing says quokka');
    const r = await patch(`${TOP}/cyberbullying`, { search_terms: ['Quokka', 'mean messages', 'quokka'] }, admin);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.search_terms, ['quokka', 'mean messages']);
    assert.deepEqual(await termsOf(`${TOP}/cyberbullying`), ['quokka', 'mean messages']);
    const filed = (await list('', '&topic=cyberbullying')).items.map((o) => o.slug);
    const hits = await found('quokka');
    assert.deepEqual([...hits].sort(), [...filed].sort(), 'exactly the organisations of the topic');
    const named = await list('quokka');
    assert.ok(named.topics_meant.some((t) => t.slug === 'cyberbullying'), 'the topic is named');
  });

  it('find an organisation filed under the topic afterwards, at once, and not one taken off it', async () => {
    let r = await patch(`${ORGS}/terms-new`, { topics: ['reporting'] }, editor);
    assert.equal(r.status, 200, r.text);
    assert.ok(!(await found('quokka')).includes('terms-new'), 'not filed under it: not found');
    r = await patch(`${ORGS}/terms-new`, { topics: ['reporting', 'cyberbullying'] }, editor);
    assert.equal(r.status, 200, r.text);
    assert.ok((await found('quokka')).includes('terms-new'), 'filed under it: found');
  });

  it('are kept in the topic\'s revision, before and after', async () => {
    const rev = lastRevision('topic', 'cyberbullying');
    assert.ok(rev, 'a revision of the topic');
    assert.equal(rev.action, 'update');
    assert.equal(rev.actor, 'ada');
    assert.deepEqual(rev.after.search_terms, ['quokka', 'mean messages']);
    assert.ok(Array.isArray(rev.before.search_terms) && !rev.before.search_terms.includes('quokka'), JSON.stringify(rev.before));
  });

  it('are refused on an audience, and checked on a topic as on an organisation', async () => {
    const aud = await patch('/api/v1/audiences/parents', { search_terms: ['mum'] }, admin);
    assert.equal(aud.status, 422, aud.text);
    assert.ok(aud.json.errors.some((e) => e.name === '/search_terms'), aud.text);
    const r = await patch(`${TOP}/cyberbullying`, { search_terms: ['fine', '0808 800 5000', 'bully@school.example'] }, admin);
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(r.json.errors.map((e) => e.name).sort(), ['/search_terms/1', '/search_terms/2']);
    assert.deepEqual(await termsOf(`${TOP}/cyberbullying`), ['quokka', 'mean messages'], 'nothing changed');
  });

  it('are kept by a PUT that leaves them out', async () => {
    const { search_terms: _t, ...whole } = await read(`${TOP}/cyberbullying`);
    const r = await put(`${TOP}/cyberbullying`, whole, admin);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.search_terms, ['quokka', 'mean messages']);
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
    assert.deepEqual(doc.organisations.find((o) => o.slug === 'childnet').search_terms,
      ['zebra crossing', 'lollipop lady', 'hopscotching']);
    assert.deepEqual(doc.topics.find((t) => t.slug === 'cyberbullying').search_terms, ['quokka', 'mean messages']);
    const fresh = path.join(dir, 'fresh.db');
    r = await cli(['import', a, '--db', fresh]); // a new file is created empty, not seeded
    assert.equal(r.code, 0, r.stderr);
    r = await cli(['export', '--db', fresh, '--format', 'json', '--out', b]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(b, 'utf8'), await readFile(a, 'utf8'));
    // and a server on the imported database finds by them
    const other = await startServer({ dbPath: fresh });
    try {
      const hits = (await get(`${other.base}${ORGS}?q=zebra`)).json.items.map((o) => o.slug);
      assert.equal(hits[0], 'childnet');
      const q = (await get(`${other.base}${ORGS}?q=quokka`)).json;
      assert.ok(q.total >= 1 && q.topics_meant.some((t) => t.slug === 'cyberbullying'));
    } finally {
      await other.stop();
    }
    await remove();
  });

  it('are checked by import: a bad term is an error at its pointer, and nothing is imported', async () => {
    const { dir, remove } = await tempDir('signpost-terms-bad-');
    const a = path.join(dir, 'a.json');
    let r = await cli(['export', '--db', db.dbPath, '--format', 'json', '--out', a]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(await readFile(a, 'utf8'));
    const oi = doc.organisations.findIndex((o) => o.slug === 'childnet');
    const ti = doc.topics.findIndex((t) => t.slug === 'cyberbullying');
    doc.organisations[oi].search_terms = ['fine', 'call 0808 800 5000'];
    doc.topics[ti].search_terms = ['www.bullying.example'];
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify(doc));
    r = await cli(['import', bad, '--db', db.dbPath]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`/organisations/${oi}/search_terms/1\\b`), r.stderr);
    assert.match(r.stderr, new RegExp(`/topics/${ti}/search_terms/0\\b`), r.stderr);
    assert.deepEqual(await termsOf(`${ORGS}/childnet`), ['zebra crossing', 'lollipop lady', 'hopscotching']);
    await remove();
  });
});
