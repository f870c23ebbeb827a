// Organisation writes: create, validation (every problem with its JSON
// pointer), conflicts, If-Match (428, 412, no lost update between two
// curators), revisions and restoring one, archive and restore, review and
// the review queue, reports, and the headers every write answer carries.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../http/lib/api.mjs';
import { raw } from '../http/lib/http.mjs';
import { spec } from '../http/lib/openapi.mjs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {
  ORGS, assertWriteHeaders, call, createToken, get, headersOnly, newOrg, plainTag, startServer,
  tempDb, todayUtc,
} from './lib/curation.mjs';

const MERGE = 'application/merge-patch+json';
let db, server, base, token;

before(async () => {
  db = await tempDb();
  token = await createToken(db.dbPath, 'alice', 'editor');
  server = await startServer({ dbPath: db.dbPath });
  base = server.base;
});
after(async () => {
  await server?.stop();
  await db?.remove();
});

// Reads a public record; returns {json, etag} (the plain tag).
async function read(slug) {
  const r = await raw(base, { path: `${ORGS}/${slug}` });
  assert.equal(r.status, 200, `GET ${slug}: ${r.text}`);
  return { json: r.json, etag: r.headers.etag };
}

async function create(slug, extra = {}) {
  const r = await call(base, 'POST', ORGS, { token, json: newOrg(slug, extra) });
  assert.equal(r.status, 201, `POST ${slug}: ${r.text}`);
  assertWriteHeaders(r, `POST ${slug}`);
  return r;
}

const patch = (slug, json, ifMatch, contentType = MERGE) =>
  call(base, 'PATCH', `${ORGS}/${slug}`, { token, json, ifMatch, contentType });

// Every organisation in the public list (all pages), by slug.
async function listSlugs(params = '') {
  const slugs = [];
  for (let page = 1; ; page++) {
    const r = await get(`${base}${ORGS}?per_page=100&page=${page}${params}`);
    assert.equal(r.status, 200);
    slugs.push(...r.json.items.map((x) => x.slug));
    if (slugs.length >= r.json.total || r.json.items.length === 0) break;
  }
  return slugs;
}

describe('creating', () => {
  it('201 with Location and ETag; GET, the list, search and the page show it at once', async () => {
    // Warm the caches with answers that do not have it yet.
    const searchBefore = await get(`${base}${ORGS}?q=zebracorn`);
    assert.equal(searchBefore.json.total, 0);
    const listBefore = await listSlugs();
    assert.equal((await get(`${base}/organisations/zebracorn-helpline`)).status, 404);
    assert.equal((await get(`${base}${ORGS}/zebracorn-helpline`)).status, 404);

    const r = await create('zebracorn-helpline', { name: 'Zebracorn Helpline' });
    assert.equal(r.headers.get('location'), `${ORGS}/zebracorn-helpline`);
    assert.match(r.headers.get('etag'), /^"[0-9a-f]{16}"$/);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = r.json;
    assert.equal(body.slug, 'zebracorn-helpline');
    assert.equal(body.name, 'Zebracorn Helpline');
    assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(body.url, `${ORGS}/zebracorn-helpline`);
    assert.equal(body.last_reviewed, null);
    assert.deepEqual(body.resources, []);
    assert.deepEqual(body.contacts.map((c) => c.href), ['tel:08088005000', 'mailto:help@example.org']);

    const shown = await raw(base, { path: r.headers.get('location') });
    assert.equal(shown.status, 200);
    assert.equal(shown.text, r.text, 'GET shows exactly what the 201 answered');
    assert.equal(shown.headers.etag, r.headers.get('etag'), 'and with the same ETag');

    const search = await get(`${base}${ORGS}?q=zebracorn`);
    assert.deepEqual(search.json.items.map((x) => x.slug), ['zebracorn-helpline']);
    const listAfter = await listSlugs();
    assert.deepEqual(listAfter.filter((s) => !listBefore.includes(s)), ['zebracorn-helpline']);
    const filtered = await listSlugs('&audience=parents&topic=cyberbullying');
    assert.ok(filtered.includes('zebracorn-helpline'));
    const page = await get(`${base}/organisations/zebracorn-helpline`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Zebracorn Helpline/);
  });

  it('415 for a body that is not application/json', async () => {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', MERGE]) {
      const r = await call(base, 'POST', ORGS, { token, body: JSON.stringify(newOrg('wrong-type')), contentType: ct });
      assert.equal(r.status, 415, `${ct}: ${r.text}`);
      assertWriteHeaders(r, `POST as ${ct}`);
    }
    const none = await get(`${base}${ORGS}`, { method: 'POST', headers: { authorization: `Bearer ${token}` },
      body: new Uint8Array(Buffer.from(JSON.stringify(newOrg('no-type')))) });
    assert.equal(none.status, 415, none.text);
    const ok = await call(base, 'POST', ORGS, { token, json: newOrg('json-charset'), contentType: 'application/json; charset=utf-8' });
    assert.equal(ok.status, 201, 'a charset parameter is fine');
    assert.equal((await get(`${base}${ORGS}/wrong-type`)).status, 404);
  });

  it('400 for a body that is not JSON, or empty', async () => {
    for (const body of ['{"slug": ', 'slug=x', '{"a":1,"a":2}']) {
      const r = await call(base, 'POST', ORGS, { token, body, contentType: 'application/json' });
      assert.equal(r.status, 400, `${body}: ${r.text}`);
      assertWriteHeaders(r, 'POST bad JSON');
    }
    const empty = await call(base, 'POST', ORGS, { token, body: '', contentType: 'application/json' });
    assert.equal(empty.status, 400, empty.text);
    const array = await call(base, 'POST', ORGS, { token, json: [newOrg('in-an-array')] });
    assert.equal(array.status, 422, array.text);
  });

  it('413 for a 300 KiB body, answered from its Content-Length before the body is read', async () => {
    const big = Buffer.alloc(300 * 1024, 'a');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json',
      'content-length': String(big.length) };
    // Only the headers are sent: a server that waited for the body would never answer.
    const early = await headersOnly(base, { method: 'POST', path: ORGS, headers });
    assert.equal(early.status, 413, early.text);
    assert.equal(early.json.status, 413);
    assert.equal(early.headers['access-control-allow-origin'], undefined);
    // And with the body sent too.
    const full = await headersOnly(base, { method: 'POST', path: ORGS, headers, sendBody: big });
    assert.equal(full.status, 413);
    const put = await headersOnly(base, { method: 'PUT', path: `${ORGS}/nspcc`, headers: { ...headers, 'if-match': '*' } });
    assert.equal(put.status, 413);
    // The server is fine afterwards.
    assert.equal((await get(`${base}${ORGS}/nspcc`)).status, 200);
  });

  it('422 lists every problem, each with its JSON pointer and "in": "body"', async () => {
    const body = {
      slug: 'Not A Slug!',
      name: '',
      kind: 'club',
      coverage: 'UK',
      source: 'tests',
      website: 'ftp://example.org',
      audiences: ['parents', 'martians'],
      topics: ['cyberbullying'],
      contacts: [
        { kind: 'phone', label: 'Line', value: '555-0100' },
        { kind: 'email', label: 'Mail', value: 'not-an-email' },
        { kind: 'website', label: 'Site', value: 'example.org' },
        { kind: 'pigeon', label: 'Coo', value: 'loft 3' },
      ],
      colour: 'blue',
    };
    const r = await call(base, 'POST', ORGS, { token, json: body });
    assert.equal(r.status, 422, r.text);
    assertWriteHeaders(r, 'POST invalid');
    const p = r.json;
    assert.equal(p.type, '/problems/invalid-record');
    assert.equal(p.title, 'Invalid record');
    for (const e of p.errors) assert.equal(e.in, 'body', JSON.stringify(e));
    const names = p.errors.map((e) => e.name).sort();
    assert.deepEqual(names, [
      '/audiences/1', '/colour', '/contacts/0/value', '/contacts/1/value', '/contacts/2/value',
      '/contacts/3/kind', '/kind', '/name', '/slug', '/website',
    ].sort());
    const reason = (n) => p.errors.find((e) => e.name === n).reason;
    assert.match(reason('/audiences/1'), /parents/, 'an unknown audience names the valid ones');
    assert.match(reason('/contacts/0/value'), /UK phone/);
    assert.match(reason('/contacts/1/value'), /email/);
    for (const n of names) assert.ok(p.detail.includes(n), `detail mentions ${n}`);
    // Missing required members are named too.
    const empty = await call(base, 'POST', ORGS, { token, json: {} });
    assert.equal(empty.status, 422);
    assert.deepEqual(empty.json.errors.map((e) => e.name).sort(), ['/coverage', '/kind', '/name', '/slug', '/source']);
    // Nothing was written.
    assert.equal((await get(`${base}${ORGS}?q=martians`)).json.total, 0);
  });

  it('accepts the read-only members a GET shows, and ignores them', async () => {
    const { json } = await read('nspcc');
    const copy = { ...json, slug: 'nspcc-copy', name: 'NSPCC copy', id: '00000000-0000-4000-8000-000000000000',
      last_reviewed: '2020-01-01', updated_at: '2000-01-01T00:00:00Z', url: '/elsewhere' };
    const r = await call(base, 'POST', ORGS, { token, json: copy });
    assert.equal(r.status, 201, r.text);
    assert.notEqual(r.json.id, copy.id);
    assert.equal(r.json.last_reviewed, null);
    assert.equal(r.json.url, `${ORGS}/nspcc-copy`);
    assert.deepEqual(r.json.resources, [], 'resources are not copied');
    assert.deepEqual(r.json.contacts, json.contacts);
  });

  it('409 for a slug that is taken (archived organisations included)', async () => {
    const r = await call(base, 'POST', ORGS, { token, json: newOrg('nspcc') });
    assert.equal(r.status, 409, r.text);
    assertWriteHeaders(r, 'POST taken slug');
    assert.equal(r.json.type, '/problems/conflict');
    assert.deepEqual(r.json.errors.map((e) => [e.name, e.in]), [['/slug', 'body']]);
    const made = await create('soon-archived');
    const del = await call(base, 'DELETE', `${ORGS}/soon-archived`, { token, ifMatch: made.headers.get('etag') });
    assert.equal(del.status, 200, del.text);
    const again = await call(base, 'POST', ORGS, { token, json: newOrg('soon-archived') });
    assert.equal(again.status, 409, again.text);
    // A rename onto a taken slug is a 409 too.
    const mine = await create('rename-me');
    const clash = await patch('rename-me', { slug: 'childline' }, mine.headers.get('etag'));
    assert.equal(clash.status, 409, clash.text);
    assert.equal((await read('rename-me')).etag, mine.headers.get('etag'), 'unchanged');
  });
});

describe('changing with If-Match', () => {
  it('PUT and PATCH without If-Match are 428; stale is 412 with the current ETag; current is 200 with a new ETag', async () => {
    const made = await create('if-match-org');
    const tag1 = made.headers.get('etag');
    const full = newOrg('if-match-org', { name: 'Replaced name' });
    const noTagPut = await call(base, 'PUT', `${ORGS}/if-match-org`, { token, json: full });
    assert.equal(noTagPut.status, 428, noTagPut.text);
    assertWriteHeaders(noTagPut, 'PUT without If-Match');
    const noTagPatch = await patch('if-match-org', { name: 'x' });
    assert.equal(noTagPatch.status, 428);
    const noTagDelete = await call(base, 'DELETE', `${ORGS}/if-match-org`, { token });
    assert.equal(noTagDelete.status, 428);

    const put = await call(base, 'PUT', `${ORGS}/if-match-org`, { token, json: full, ifMatch: tag1 });
    assert.equal(put.status, 200, put.text);
    assertWriteHeaders(put, 'PUT');
    const tag2 = put.headers.get('etag');
    assert.match(tag2, /^"[0-9a-f]{16}"$/);
    assert.notEqual(tag2, tag1);
    assert.equal(put.json.name, 'Replaced name');
    assert.equal((await read('if-match-org')).etag, tag2, 'the new ETag is the one GET answers');

    for (const [method, json, ct] of [['PUT', full, 'application/json'], ['PATCH', { name: 'y' }, MERGE]]) {
      const stale = await call(base, method, `${ORGS}/if-match-org`, { token, json, ifMatch: tag1, contentType: ct });
      assert.equal(stale.status, 412, `${method}: ${stale.text}`);
      assertWriteHeaders(stale, `${method} stale`);
      assert.equal(stale.headers.get('etag'), tag2, 'a 412 carries the current ETag');
    }
    const staleDelete = await call(base, 'DELETE', `${ORGS}/if-match-org`, { token, ifMatch: tag1 });
    assert.equal(staleDelete.status, 412);
    assert.equal((await read('if-match-org')).json.name, 'Replaced name');

    // PATCH as application/json and with the gzip variant's tag works too.
    const p1 = await patch('if-match-org', { summary: 'Patched as JSON.' }, tag2, 'application/json');
    assert.equal(p1.status, 200, p1.text);
    const gzTag = p1.headers.get('etag').replace(/"$/, '-gz"');
    const p2 = await patch('if-match-org', { website: null, topics: ['grooming', 'cyberbullying'] }, gzTag);
    assert.equal(p2.status, 200, p2.text);
    assert.equal(p2.json.website, null, 'null removes a member');
    assert.equal(p2.json.summary, 'Patched as JSON.', 'members not in the patch stay');
    assert.deepEqual([...p2.json.topics].sort(), ['cyberbullying', 'grooming']);
    const removeName = await patch('if-match-org', { name: null }, p2.headers.get('etag'));
    assert.equal(removeName.status, 422);
    assert.deepEqual(removeName.json.errors.map((e) => e.name), ['/name']);
    const unknown = await patch('if-match-org', { nmae: 'typo' }, '*');
    assert.equal(unknown.status, 422);
    assert.deepEqual(unknown.json.errors.map((e) => e.name), ['/nmae']);
    const missing = await patch('no-such-org', { name: 'x' }, '*');
    assert.equal(missing.status, 404);
    assertWriteHeaders(missing, 'PATCH unknown slug');
  });

  it('a weak tag in If-Match never matches (RFC 9110 13.1.1: strong comparison)', {
  }, async () => {
    const made = await create('weak-tag');
    const r = await patch('weak-tag', { name: 'Weakly matched' }, `W/${made.headers.get('etag')}`);
    assert.equal(r.status, 412, r.text);
  });

  it('two curators changing the same version at once: exactly one wins, and nothing is lost (20 rounds)', async () => {
    const made = await create('contested');
    let tag = made.headers.get('etag');
    let expected = { name: made.json.name, summary: made.json.summary };
    let wins = { a: 0, b: 0 };
    for (let round = 1; round <= 20; round++) {
      const [a, b] = await Promise.all([
        patch('contested', { name: `Name set by A in round ${round}` }, tag),
        patch('contested', { summary: `Summary set by B in round ${round}.` }, tag),
      ]);
      const statuses = [a.status, b.status].sort();
      assert.deepEqual(statuses, [200, 412], `round ${round}: ${a.status} ${a.text.slice(0, 200)} / ${b.status} ${b.text.slice(0, 200)}`);
      const winner = a.status === 200 ? a : b;
      const loser = a.status === 200 ? b : a;
      if (winner === a) { wins.a++; expected.name = `Name set by A in round ${round}`; }
      else { wins.b++; expected.summary = `Summary set by B in round ${round}.`; }
      assert.equal(loser.headers.get('etag'), winner.headers.get('etag'), 'the loser learns the winner\'s ETag');
      const now = await read('contested');
      assert.equal(now.json.name, expected.name, `round ${round}: name`);
      assert.equal(now.json.summary, expected.summary, `round ${round}: summary`);
      assert.equal(now.etag, winner.headers.get('etag'));
      tag = now.etag;
    }
    const revs = await call(base, 'GET', `${ORGS}/contested/revisions`, { token });
    assert.equal(revs.json.items.length, 21, 'one revision for the create and one per winning write');
    assert.deepEqual(revs.json.items.map((x) => x.n), Array.from({ length: 21 }, (_, i) => i + 1));
  });
});

describe('revisions', () => {
  it('list who, when, what, and the whole record before and after, n increasing', async () => {
    const t0 = Date.now() - 2000;
    const made = await create('history-org', { name: 'History v1' });
    const p1 = await patch('history-org', { name: 'History v2' }, made.headers.get('etag'));
    assert.equal(p1.status, 200);
    const p2 = await patch('history-org', { name: 'History v3', coverage: 'England' }, p1.headers.get('etag'));
    assert.equal(p2.status, 200);
    const r = await call(base, 'GET', `${ORGS}/history-org/revisions`, { token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const items = r.json.items;
    assert.deepEqual(items.map((x) => x.n), [1, 2, 3]);
    assert.deepEqual(items.map((x) => x.action), ['create', 'update', 'update']);
    assert.deepEqual(items.map((x) => x.actor), ['alice', 'alice', 'alice']);
    for (const x of items) {
      assert.match(x.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const at = Date.parse(x.at);
      assert.ok(at >= t0 - 1000 && at <= Date.now() + 1000, `at ${x.at} is now`);
    }
    assert.equal(items[0].before, null);
    assert.deepEqual(items[0].after, made.json);
    assert.deepEqual(items[1].before, made.json);
    assert.deepEqual(items[1].after, p1.json);
    assert.deepEqual(items[2].before, p1.json);
    assert.deepEqual(items[2].after, p2.json);
    const anon = await call(base, 'GET', `${ORGS}/history-org/revisions`);
    assert.equal(anon.status, 401);
    const unknown = await call(base, 'GET', `${ORGS}/no-such-org/revisions`, { token });
    assert.equal(unknown.status, 404);
  });

  it('restoring an old revision makes a new revision with its content', async () => {
    const { json: current, etag } = await read('history-org');
    const noTag = await call(base, 'POST', `${ORGS}/history-org/revisions/1/restore`, { token });
    assert.equal(noTag.status, 428);
    const r = await call(base, 'POST', `${ORGS}/history-org/revisions/1/restore`, { token, ifMatch: etag });
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'POST revision restore');
    assert.equal(r.json.name, 'History v1');
    assert.equal(r.json.coverage, 'UK');
    const revs = (await call(base, 'GET', `${ORGS}/history-org/revisions`, { token })).json.items;
    assert.deepEqual(revs.map((x) => x.n), [1, 2, 3, 4]);
    const last = revs[3];
    assert.equal(last.action, 'restore');
    assert.equal(last.actor, 'alice');
    assert.deepEqual(last.before, current);
    const strip = ({ updated_at: _u, ...rest }) => rest;
    assert.deepEqual(strip(last.after), strip(revs[0].after), 'the content of revision 1');
    assert.deepEqual(last.after, r.json);
    const none = await call(base, 'POST', `${ORGS}/history-org/revisions/99/restore`, { token, ifMatch: '*' });
    assert.equal(none.status, 404);
    const bad = await call(base, 'POST', `${ORGS}/history-org/revisions/x/restore`, { token, ifMatch: '*' });
    assert.equal(bad.status, 404);
  });
});

describe('archiving', () => {
  it('DELETE archives: 200 with the record; gone from GET, lists, search and pages; listed in the archive', async () => {
    const made = await create('archive-me', { name: 'Archive Me Quokka' });
    assert.equal((await get(`${base}${ORGS}?q=quokka`)).json.total, 1);
    const del = await call(base, 'DELETE', `${ORGS}/archive-me`, { token, ifMatch: made.headers.get('etag') });
    assert.equal(del.status, 200, del.text);
    assertWriteHeaders(del, 'DELETE');
    assert.equal(del.json.slug, 'archive-me');
    assert.equal(del.json.id, made.json.id);
    assert.match(del.headers.get('etag'), /^"[0-9a-f]{16}"$/);

    assert.equal((await get(`${base}${ORGS}/archive-me`)).status, 404);
    assert.equal((await get(`${base}/organisations/archive-me`)).status, 404);
    assert.equal((await get(`${base}${ORGS}?q=quokka`)).json.total, 0);
    assert.ok(!(await listSlugs()).includes('archive-me'));
    const again = await call(base, 'DELETE', `${ORGS}/archive-me`, { token, ifMatch: '*' });
    assert.equal(again.status, 404, 'an archived organisation cannot be archived again');

    const archive = await call(base, 'GET', '/api/v1/archive/organisations', { token });
    assert.equal(archive.status, 200);
    assert.equal(archive.headers.get('cache-control'), 'no-store');
    const entry = archive.json.items.find((x) => x.slug === 'archive-me');
    assert.ok(entry, 'listed under /api/v1/archive/organisations');
    assert.equal(entry.id, made.json.id);
    assert.equal(entry.name, 'Archive Me Quokka');
    assert.match(entry.archived_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await call(base, 'GET', '/api/v1/archive/organisations')).status, 401);

    // Restore: needs the archived record's ETag (from the DELETE answer).
    const noTag = await call(base, 'POST', `${ORGS}/archive-me/restore`, { token });
    assert.equal(noTag.status, 428);
    const stale = await call(base, 'POST', `${ORGS}/archive-me/restore`, { token, ifMatch: '"0123456789abcdef"' });
    assert.equal(stale.status, 412);
    assert.equal(stale.headers.get('etag'), del.headers.get('etag'));
    const back = await call(base, 'POST', `${ORGS}/archive-me/restore`, { token, ifMatch: del.headers.get('etag') });
    assert.equal(back.status, 200, back.text);
    assertWriteHeaders(back, 'POST restore');
    assert.equal((await get(`${base}${ORGS}/archive-me`)).status, 200);
    assert.equal((await get(`${base}${ORGS}?q=quokka`)).json.total, 1);
    assert.equal((await get(`${base}/organisations/archive-me`)).status, 200);
    const archive2 = await call(base, 'GET', '/api/v1/archive/organisations', { token });
    assert.ok(!archive2.json.items.some((x) => x.slug === 'archive-me'));
    const notArchived = await call(base, 'POST', `${ORGS}/archive-me/restore`, { token, ifMatch: '*' });
    assert.equal(notArchived.status, 409, notArchived.text);
    const revs = (await call(base, 'GET', `${ORGS}/archive-me/revisions`, { token })).json.items;
    assert.deepEqual(revs.map((x) => x.action), ['create', 'archive', 'restore']);
  });
});

describe('reviewing', () => {
  it('marks last_reviewed today (UTC) by the token; the queue drops it and lists the rest oldest first', async () => {
    // Two records checked long ago, oldest first in the queue after the never-checked ones.
    sql(db.dbPath, "UPDATE organisation SET last_reviewed = '2021-06-01', reviewed_by = 'bob' WHERE slug = 'childline'");
    sql(db.dbPath, "UPDATE organisation SET last_reviewed = '2019-03-15', reviewed_by = 'bob' WHERE slug = 'ceop'");
    sql(db.dbPath, "UPDATE organisation SET last_reviewed = date('now') WHERE slug = 'childnet'");
    const q1 = await call(base, 'GET', '/api/v1/review-queue', { token });
    assert.equal(q1.status, 200, q1.text);
    assert.equal(q1.headers.get('cache-control'), 'no-store');
    const items = q1.json.items;
    const slugs = items.map((x) => x.slug);
    assert.ok(slugs.includes('nspcc'));
    assert.ok(!slugs.includes('childnet'), 'checked today: not due');
    const never = items.filter((x) => x.last_reviewed === null);
    const checked = items.filter((x) => x.last_reviewed !== null);
    assert.deepEqual(items, [...never, ...checked], 'never checked first');
    assert.deepEqual(checked.map((x) => [x.slug, x.last_reviewed, x.reviewed_by]),
      [['ceop', '2019-03-15', 'bob'], ['childline', '2021-06-01', 'bob']], 'then the longest unchecked first');
    const all = (await call(base, 'GET', '/api/v1/review-queue?months=0', { token })).json.items.map((x) => x.slug);
    assert.ok(!all.includes('childnet'), 'today is never overdue');
    const recent = (await call(base, 'GET', '/api/v1/review-queue?months=600', { token })).json.items;
    assert.ok(recent.every((x) => x.last_reviewed === null), 'months=600: only the never checked');
    const badMonths = await call(base, 'GET', '/api/v1/review-queue?months=x', { token });
    assert.equal(badMonths.status, 400);
    assert.deepEqual(badMonths.json.errors.map((e) => [e.name, e.in]), [['months', 'query']]);

    const before_ = await read('nspcc');
    const r = await call(base, 'POST', `${ORGS}/nspcc/review`, { token });
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'POST review');
    assert.equal(r.json.last_reviewed, todayUtc());
    assert.equal((await read('nspcc')).json.last_reviewed, todayUtc());
    assert.deepEqual(sql(db.dbPath, "SELECT reviewed_by, last_reviewed FROM organisation WHERE slug = 'nspcc'"),
      [`alice|${todayUtc()}`]);
    const q2 = (await call(base, 'GET', '/api/v1/review-queue', { token })).json.items.map((x) => x.slug);
    assert.ok(!q2.includes('nspcc'), 'no longer in the queue');
    assert.deepEqual(q2, slugs.filter((s) => s !== 'nspcc'), 'the rest, in the same order');
    const revs = (await call(base, 'GET', `${ORGS}/nspcc/revisions`, { token })).json.items;
    const last = revs[revs.length - 1];
    assert.equal(last.action, 'review');
    assert.equal(last.actor, 'alice');
    assert.deepEqual(last.before, before_.json);
    assert.equal(last.after.last_reviewed, todayUtc());
    assert.equal((await call(base, 'POST', `${ORGS}/no-such-org/review`, { token })).status, 404);
  });
});

describe('reports from the public', () => {
  it('are listed for curators and can be closed once', async () => {
    const form = await get(`${base}/organisations/childline/report`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'what=phone&details=' + encodeURIComponent('The number on the page rings a fax machine.'),
    });
    assert.equal(form.status, 200, form.text.slice(0, 300));
    const open = await call(base, 'GET', '/api/v1/reports', { token });
    assert.equal(open.status, 200, open.text);
    assert.equal(open.headers.get('cache-control'), 'no-store');
    const mine = open.json.items.find((x) => x.organisation === 'childline' && /fax/.test(x.details));
    assert.ok(mine, open.text);
    assert.equal(mine.what, 'phone');
    assert.equal(mine.closed_at, null);
    const closed = await call(base, 'POST', `/api/v1/reports/${mine.id}/close`, { token });
    assert.equal(closed.status, 200, closed.text);
    assertWriteHeaders(closed, 'POST report close');
    assert.deepEqual(closed.json, { id: mine.id, closed_by: 'alice' });
    const twice = await call(base, 'POST', `/api/v1/reports/${mine.id}/close`, { token });
    assert.equal(twice.status, 404);
    const openNow = (await call(base, 'GET', '/api/v1/reports?status=open', { token })).json.items;
    assert.ok(!openNow.some((x) => x.id === mine.id));
    const every = (await call(base, 'GET', '/api/v1/reports?status=all', { token })).json.items;
    const again = every.find((x) => x.id === mine.id);
    assert.equal(again.closed_by, 'alice');
    assert.match(again.closed_at, /^\d{4}-\d\d-\d\dT/);
    const bad = await call(base, 'GET', '/api/v1/reports?status=closed', { token });
    assert.equal(bad.status, 400);
  });
});

describe('the headers of curation answers', () => {
  it('writes carry no CORS headers and Cache-Control: no-store, whatever the Origin', async () => {
    const origin = { origin: 'https://evil.example' };
    const made = await call(base, 'POST', ORGS, { token, json: newOrg('cors-check'), headers: origin });
    assert.equal(made.status, 201);
    assertWriteHeaders(made, 'POST with an Origin');
    const tag = made.headers.get('etag');
    const answers = [
      await call(base, 'PATCH', `${ORGS}/cors-check`, { token, json: { name: 'CORS check' }, contentType: MERGE, ifMatch: tag, headers: origin }),
      await call(base, 'PUT', `${ORGS}/cors-check`, { token, json: newOrg('cors-check'), ifMatch: tag, headers: origin }),
      await call(base, 'POST', `${ORGS}/cors-check/review`, { token, headers: origin }),
      await call(base, 'DELETE', `${ORGS}/cors-check`, { token, ifMatch: '*', headers: origin }),
      await call(base, 'POST', `${ORGS}/cors-check/restore`, { token, ifMatch: '*', headers: origin }),
      await call(base, 'POST', `${ORGS}/cors-check/revisions/1/restore`, { token, ifMatch: '*', headers: origin }),
      await call(base, 'POST', ORGS, { token, json: {}, headers: origin }),
    ];
    assert.deepEqual(answers.map((a) => a.status), [200, 412, 200, 200, 200, 200, 422]);
    for (const a of answers) assertWriteHeaders(a, `${a.url} (${a.status})`);
    // The curators' GET routes are never cached either.
    for (const p of [`${ORGS}/cors-check/revisions`, '/api/v1/archive/organisations', '/api/v1/review-queue', '/api/v1/reports']) {
      const r = await call(base, 'GET', p, { token });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('cache-control'), 'no-store', p);
      const anon = await call(base, 'GET', p);
      assert.equal(anon.status, 401, `${p} is not served from a cache to a client without a token`);
    }
  });
});

describe('the OpenAPI request schemas', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...spec, $id: 'https://signpost.invalid/spec.json' });
  const schema = (name) => ajv.getSchema(`https://signpost.invalid/spec.json#/components/schemas/${name}`);

  it('describe what the server accepts and refuses', async () => {
    const input = schema('OrganisationInput');
    const body = newOrg('schema-check');
    assert.ok(input(body), ajv.errorsText(input.errors));
    const r = await call(base, 'POST', ORGS, { token, json: body });
    assert.equal(r.status, 201);
    assert.ok(input(r.json), `a GET body may be sent back: ${ajv.errorsText(input.errors)}`);
    const put = await call(base, 'PUT', `${ORGS}/schema-check`, { token, json: { ...r.json, name: 'Sent back' },
      ifMatch: r.headers.get('etag') });
    assert.equal(put.status, 200, put.text);
    for (const bad of [{ ...body, colour: 'blue' }, { ...body, slug: 'Bad Slug' }, { ...body, kind: 'club' },
      { ...body, name: '' }, { ...body, website: 'ftp://x.example' }, (({ source: _s, ...rest }) => rest)(body)]) {
      assert.ok(!input(bad), `the schema refuses ${JSON.stringify(bad).slice(0, 80)}`);
      const refused = await call(base, 'POST', ORGS, { token, json: { ...bad, slug: bad.slug === 'Bad Slug' ? bad.slug : 'schema-bad' } });
      assert.equal(refused.status, 422, `and so does the server: ${refused.text}`);
    }
    const patchSchema = schema('OrganisationPatch');
    assert.ok(patchSchema({ name: 'x', website: null }));
    assert.ok(!patchSchema({ nmae: 'x' }));
  });
});
