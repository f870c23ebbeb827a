// Resources: the public GET /api/v1/resources/{slug}, and the curators'
// writes: POST /api/v1/organisations/{slug}/resources, PUT, PATCH and DELETE
// (archive) on /api/v1/resources/{slug}, and POST .../restore. Every answer
// is validated against the OpenAPI document (call/get/raw run checkResponse).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, sql } from '../http/lib/api.mjs';
import { raw } from '../http/lib/http.mjs';
import {
  ORGS, assertWriteHeaders, call, createToken, get, newOrg, plainTag, startServer, tempDb,
} from './lib/curation.mjs';

const RES = '/api/v1/resources';
const MERGE = 'application/merge-patch+json';
const ETAG = /^"[0-9a-f]{16}"$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FIELDS = ['id', 'slug', 'organisation', 'name', 'type', 'url', 'summary', 'age_min', 'age_max',
  'audiences', 'topics', 'source', 'updated_at'];

let db, server, base, editor, admin;

before(async () => {
  db = await tempDb();
  editor = await createToken(db.dbPath, 'rita', 'editor');
  admin = await createToken(db.dbPath, 'root', 'admin');
  server = await startServer({ dbPath: db.dbPath });
  base = server.base;
});
after(async () => {
  await server?.stop();
  await db?.remove();
});

// A valid resource body with a unique slug.
function newResource(slug, extra = {}) {
  return {
    slug,
    name: `Resource ${slug}`,
    type: 'education-pack',
    url: `https://example.org/${slug}`,
    summary: 'Lessons made by the curation tests.',
    age_min: 11,
    age_max: 14,
    audiences: ['professionals', 'young-people'],
    topics: ['cyberbullying'],
    source: 'The curation tests',
    ...extra,
  };
}

// Reads a public resource without gzip; returns {status, json, text, etag}.
async function read(slug) {
  const r = await raw(base, { path: `${RES}/${slug}` });
  return { status: r.status, json: r.json, text: r.text, etag: r.headers.etag };
}

async function readOrg(slug) {
  const r = await raw(base, { path: `${ORGS}/${slug}` });
  assert.equal(r.status, 200, `GET ${ORGS}/${slug}: ${r.text}`);
  return r.json;
}

async function create(org, body, token = editor) {
  const r = await call(base, 'POST', `${ORGS}/${org}/resources`, { token, json: body });
  assert.equal(r.status, 201, `POST ${org}/resources ${body.slug}: ${r.text}`);
  assertWriteHeaders(r, `POST ${body.slug}`);
  return r;
}

const search = async (q) => (await get(`${base}${ORGS}?q=${encodeURIComponent(q)}&per_page=100`)).json.items.map((x) => x.slug);

// Revisions the database keeps for a resource: [[action, actor]...].
function revisions(id) {
  return sql(db.dbPath, `SELECT action || '|' || actor FROM revision WHERE entity = 'resource' AND entity_id = '${id}' ORDER BY n`)
    .map((l) => l.split('|'));
}

describe('GET /api/v1/resources/{slug}', () => {
  it('shows the resource as its organisation lists it, plus organisation, source and updated_at', async () => {
    const org = await readOrg('nspcc');
    assert.ok(org.resources.length > 0, 'the seed gives the NSPCC resources');
    for (const listed of org.resources) {
      const r = await raw(base, { path: `${RES}/${listed.slug}` });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json), FIELDS, 'the members, in order');
      const { organisation, source, updated_at: updatedAt, ...rest } = r.json;
      assert.deepEqual(rest, listed, 'the same members as in the organisation record');
      assert.equal(organisation, 'nspcc');
      assert.equal(typeof source, 'string');
      assert.match(updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(r.headers['cache-control'], 'public, max-age=60');
      assert.equal(r.headers['access-control-allow-origin'], '*');
      assert.match(r.headers.etag, ETAG);
    }
  });

  it('304 for If-None-Match, HEAD without a body, 404 problem for an unknown slug', async () => {
    const first = await raw(base, { path: `${RES}/stop-speak-support` });
    assert.equal(first.status, 200);
    const again = await raw(base, { path: `${RES}/stop-speak-support`, headers: { 'if-none-match': first.headers.etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.etag, first.headers.etag);
    const head = await raw(base, { method: 'HEAD', path: `${RES}/stop-speak-support` });
    assert.equal(head.status, 200);
    assert.equal(head.raw.length, 0);
    assert.equal(head.headers.etag, first.headers.etag);
    const p = assertProblem(await raw(base, { path: `${RES}/no-such-resource` }), 404, 'unknown slug');
    assert.equal(p.type, 'about:blank');
    assert.match(p.detail, /no-such-resource/);
  });

  it('OPTIONS lists the write methods but lets other origins only read; others are 405', async () => {
    const r = await raw(base, { method: 'OPTIONS', path: `${RES}/stop-speak-support` });
    assert.equal(r.status, 204);
    assert.equal(r.headers.allow, 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
    assert.equal(r.headers['access-control-allow-methods'], 'GET, HEAD, OPTIONS');
    const post = await raw(base, { method: 'OPTIONS', path: `${ORGS}/nspcc/resources` });
    assert.equal(post.headers.allow, 'POST, OPTIONS');
    const restore = await raw(base, { method: 'OPTIONS', path: `${RES}/stop-speak-support/restore` });
    assert.equal(restore.headers.allow, 'POST, OPTIONS');
    const p = assertProblem(await raw(base, { method: 'POST', path: `${RES}/stop-speak-support` }), 405, 'POST one resource');
    assert.equal(p.title, 'Method Not Allowed');
    assertProblem(await raw(base, { path: `${ORGS}/nspcc/resources` }), 405, 'GET the resources path');
  });
});

describe('creating a resource', () => {
  it('201 with Location and ETag; GET, the organisation record and search show it at once', async () => {
    const before = await readOrg('childnet');
    assert.deepEqual(await search('quokkaflux'), []);
    assert.equal((await read('quokkaflux-lessons')).status, 404);

    const r = await create('childnet', newResource('quokkaflux-lessons', {
      name: 'Quokkaflux lessons', audiences: ['young-people', 'children', 'young-people'],
    }));
    assert.equal(r.headers.get('location'), `${RES}/quokkaflux-lessons`);
    assert.match(r.headers.get('etag'), ETAG);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = r.json;
    assert.deepEqual(Object.keys(body), FIELDS);
    assert.match(body.id, UUID);
    assert.equal(body.organisation, 'childnet');
    assert.equal(body.name, 'Quokkaflux lessons');
    assert.deepEqual(body.audiences, ['children', 'young-people'], 'display order, duplicates dropped');
    assert.deepEqual([body.age_min, body.age_max, body.url], [11, 14, 'https://example.org/quokkaflux-lessons']);

    const shown = await read('quokkaflux-lessons');
    assert.equal(shown.text, r.text, 'GET shows exactly what the 201 answered');
    assert.equal(shown.etag, r.headers.get('etag'), 'with the same ETag');

    const after = await readOrg('childnet');
    assert.deepEqual(after.resources.map((x) => x.slug), [...before.resources.map((x) => x.slug), 'quokkaflux-lessons'],
      'added after the organisation\'s other resources');
    assert.ok((await search('quokkaflux')).includes('childnet'), 'search finds the organisation by its new resource');
    assert.deepEqual(revisions(body.id), [['create', 'rita']]);
  });

  it('an admin token may add resources too; unknown or archived organisations are 404', async () => {
    await create('childline', newResource('admin-made'), admin);
    const p = assertProblem(await call(base, 'POST', `${ORGS}/no-such-org/resources`, { token: editor, json: newResource('orphan') }),
      404, 'unknown organisation');
    assert.match(p.detail, /no-such-org/);

    const org = await call(base, 'POST', ORGS, { token: editor, json: newOrg('soon-archived') });
    assert.equal(org.status, 201, org.text);
    const del = await call(base, 'DELETE', `${ORGS}/soon-archived`, { token: editor, ifMatch: org.headers.get('etag') });
    assert.equal(del.status, 200, del.text);
    const r = await call(base, 'POST', `${ORGS}/soon-archived/resources`, { token: editor, json: newResource('on-archived') });
    assertProblem(r, 404, 'archived organisation');
    assertWriteHeaders(r, 'POST under an archived organisation');
    assert.equal((await read('on-archived')).status, 404);
  });

  it('422 lists every problem with its JSON pointer', async () => {
    const r = await call(base, 'POST', `${ORGS}/nspcc/resources`, {
      token: editor,
      json: {
        slug: 'Not A Slug', name: '', type: 'poster', url: 'ftp://example.org/x', summary: 7,
        age_min: -1, age_max: 121, source: '', audiences: ['parents', 'teachers'], topics: 'cyberbullying',
        colour: 'red', id: 'ignored', organisation: 'childline', updated_at: 'ignored',
      },
    });
    const p = assertProblem(r, 422, 'a body with many mistakes');
    assertWriteHeaders(r, 'POST 422');
    assert.equal(p.type, '/problems/invalid-record');
    assert.equal(p.title, 'Invalid record');
    assert.deepEqual(p.errors.map((e) => e.name).sort(), ['/age_max', '/age_min', '/audiences/1', '/colour', '/name', '/slug',
      '/source', '/summary', '/topics', '/type', '/url'].sort(), r.text);
    for (const e of p.errors) assert.equal(e.in, 'body');
    const aud = p.errors.find((e) => e.name === '/audiences/1');
    assert.match(aud.reason, /parents/, 'an unknown audience names the valid ones');
    assert.match(p.errors.find((e) => e.name === '/type').reason, /education-pack/);

    const missing = assertProblem(await call(base, 'POST', `${ORGS}/nspcc/resources`, { token: editor, json: {} }), 422, '{}');
    assert.deepEqual(missing.errors.map((e) => e.name).sort(), ['/name', '/slug', '/source', '/type']);
    const ages = assertProblem(await call(base, 'POST', `${ORGS}/nspcc/resources`,
      { token: editor, json: newResource('bad-ages', { age_min: 12, age_max: 11 }) }), 422, 'age_max below age_min');
    assert.deepEqual(ages.errors.map((e) => e.name), ['/age_max']);
    assert.equal(r.json.errors.length, 11);
    for (const slug of ['not-a-slug', 'bad-ages']) assert.equal((await read(slug)).status, 404);
  });

  it('400 for bad JSON, 415 for another media type, 422 for JSON that is not an object', async () => {
    const path = `${ORGS}/nspcc/resources`;
    const bad = await call(base, 'POST', path, { token: editor, body: '{"slug": ', contentType: 'application/json' });
    assertProblem(bad, 400, 'bad JSON');
    assertWriteHeaders(bad, 'POST bad JSON');
    const type = await call(base, 'POST', path, { token: editor, body: JSON.stringify(newResource('as-text')), contentType: 'text/plain' });
    assertProblem(type, 415, 'text/plain');
    const array = await call(base, 'POST', path, { token: editor, json: [newResource('in-array')] });
    const p = assertProblem(array, 422, 'an array');
    assert.equal(p.errors, undefined);
    assert.equal((await read('as-text')).status, 404);
  });

  it('409 when another resource (of any organisation, archived too) has the slug', async () => {
    const taken = await call(base, 'POST', `${ORGS}/childline/resources`, { token: editor, json: newResource('stop-speak-support') });
    const p = assertProblem(taken, 409, 'a seeded slug, under another organisation');
    assertWriteHeaders(taken, 'POST 409');
    assert.equal(p.type, '/problems/conflict');
    assert.deepEqual(p.errors.map((e) => [e.name, e.in]), [['/slug', 'body']]);

    const made = await create('childline', newResource('archived-slug'));
    const del = await call(base, 'DELETE', `${RES}/archived-slug`, { token: editor, ifMatch: made.headers.get('etag') });
    assert.equal(del.status, 200, del.text);
    assertProblem(await call(base, 'POST', `${ORGS}/nspcc/resources`, { token: editor, json: newResource('archived-slug') }),
      409, 'the slug of an archived resource');
    const shown = await get(`${base}${ORGS}/nspcc`);
    assert.ok(!shown.json.resources.some((x) => x.slug === 'archived-slug'));
  });

  it('401 without a token; the write changes nothing', async () => {
    const r = await call(base, 'POST', `${ORGS}/nspcc/resources`, { json: newResource('anonymous') });
    assertProblem(r, 401, 'no token');
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="signpost"');
    assertWriteHeaders(r, 'POST 401');
    assert.equal((await read('anonymous')).status, 404);
  });
});

describe('changing a resource', () => {
  let tag;
  before(async () => {
    tag = (await create('nspcc', newResource('changing'))).headers.get('etag');
  });

  it('PUT needs If-Match: 428 without, 412 with a stale tag (and the current ETag)', async () => {
    const body = newResource('changing', { name: 'Never saved' });
    const none = await call(base, 'PUT', `${RES}/changing`, { token: editor, json: body });
    assertProblem(none, 428, 'PUT without If-Match');
    assertWriteHeaders(none, 'PUT 428');
    const stale = await call(base, 'PUT', `${RES}/changing`, { token: editor, json: body, ifMatch: '"0123456789abcdef"' });
    assertProblem(stale, 412, 'PUT with a stale tag');
    assertWriteHeaders(stale, 'PUT 412');
    assert.equal(stale.headers.get('etag'), tag, 'the 412 carries the current ETag');
    assert.equal((await read('changing')).json.name, 'Resource changing', 'nothing changed');
  });

  it('PUT replaces the whole resource: members left out are emptied', async () => {
    const r = await call(base, 'PUT', `${RES}/changing`, {
      token: editor, ifMatch: tag, json: { slug: 'changing', name: 'Changed', type: 'film', source: 'Replaced' },
    });
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'PUT');
    assert.match(r.headers.get('etag'), ETAG);
    assert.notEqual(r.headers.get('etag'), tag);
    const b = r.json;
    assert.deepEqual([b.name, b.type, b.url, b.summary, b.age_min, b.age_max, b.audiences, b.topics, b.source],
      ['Changed', 'film', null, '', null, null, [], [], 'Replaced']);
    const shown = await read('changing');
    assert.equal(shown.text, r.text);
    assert.equal(shown.etag, r.headers.get('etag'));
    tag = r.headers.get('etag');
  });

  it('a resource read with GET can be sent back whole; id, organisation and updated_at are ignored', async () => {
    const { json, etag } = await read('changing');
    const sent = { ...json, name: 'Round trip', id: '00000000-0000-4000-8000-000000000000', organisation: 'childline',
      updated_at: '2000-01-01T00:00:00Z' };
    const r = await call(base, 'PUT', `${RES}/changing`, { token: editor, ifMatch: etag, json: sent });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id, json.id, 'the id never changes');
    assert.equal(r.json.organisation, 'nspcc', 'a resource stays with its organisation');
    assert.equal(r.json.name, 'Round trip');
    assert.ok((await readOrg('nspcc')).resources.some((x) => x.slug === 'changing' && x.name === 'Round trip'));
    assert.ok(!(await readOrg('childline')).resources.some((x) => x.slug === 'changing'));
    tag = r.headers.get('etag');
  });

  it('If-Match takes the gzip form of the tag, and *', async () => {
    const gz = await call(base, 'PATCH', `${RES}/changing`, {
      token: editor, ifMatch: tag.replace(/"$/, '-gz"'), json: { summary: 'Via the gzip tag' }, contentType: MERGE,
    });
    assert.equal(gz.status, 200, gz.text);
    const star = await call(base, 'PATCH', `${RES}/changing`, { token: editor, ifMatch: '*', json: { summary: 'Via *' }, contentType: MERGE });
    assert.equal(star.status, 200, star.text);
    assert.equal(star.json.summary, 'Via *');
    tag = star.headers.get('etag');
  });

  it('PATCH merges: members replace, null removes, lists are replaced whole', async () => {
    const r = await call(base, 'PATCH', `${RES}/changing`, {
      token: editor, ifMatch: tag, contentType: MERGE,
      json: { url: 'https://example.org/film', age_min: 8, age_max: 12, audiences: ['parents', 'children'], topics: ['grooming'] },
    });
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'PATCH');
    assert.deepEqual([r.json.url, r.json.age_min, r.json.age_max, r.json.audiences, r.json.topics, r.json.name],
      ['https://example.org/film', 8, 12, ['children', 'parents'], ['grooming'], 'Round trip']);
    const removed = await call(base, 'PATCH', `${RES}/changing`, {
      token: editor, ifMatch: r.headers.get('etag'), json: { url: null, age_min: null, summary: null, topics: [] },
    });
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual([removed.json.url, removed.json.age_min, removed.json.age_max, removed.json.summary, removed.json.topics],
      [null, null, 12, '', []]);
    const shown = await read('changing');
    assert.equal(shown.text, removed.text);
    tag = removed.headers.get('etag');
  });

  it('PATCH: a required member set to null, or a bad value, is a 422 with its pointer; 415 for text/plain', async () => {
    const r = await call(base, 'PATCH', `${RES}/changing`, {
      token: editor, ifMatch: tag, contentType: MERGE, json: { name: null, type: 'poster', age_max: 2, age_min: 3 },
    });
    const p = assertProblem(r, 422, 'PATCH with mistakes');
    assert.deepEqual(p.errors.map((e) => e.name).sort(), ['/age_max', '/name', '/type']);
    const type = await call(base, 'PATCH', `${RES}/changing`, { token: editor, ifMatch: tag, body: '{}', contentType: 'text/plain' });
    assertProblem(type, 415, 'PATCH as text/plain');
    assert.equal((await read('changing')).etag, tag, 'nothing changed');
  });

  it('a new slug moves the resource: the old address is 404; a taken slug is 409', async () => {
    const taken = await call(base, 'PATCH', `${RES}/changing`, { token: editor, ifMatch: tag, json: { slug: 'stop-speak-support' } });
    const p = assertProblem(taken, 409, 'renaming onto a taken slug');
    assert.equal(p.type, '/problems/conflict');
    const r = await call(base, 'PATCH', `${RES}/changing`, { token: editor, ifMatch: tag, json: { slug: 'changed-slug' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.slug, 'changed-slug');
    assert.equal((await read('changing')).status, 404);
    assert.equal((await read('changed-slug')).status, 200);
    assert.equal(revisions(r.json.id).filter(([a]) => a === 'update').length, 7,
      'a revision for every change that was saved');
  });

  it('of two changes sent with the same tag at the same time, exactly one wins', async () => {
    const { etag } = await read('changed-slug');
    const send = (name) => call(base, 'PATCH', `${RES}/changed-slug`, { token: editor, ifMatch: etag, json: { name } });
    const answers = await Promise.all([send('First'), send('Second')]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 412], answers.map((a) => a.text).join('\n'));
    const winner = answers.find((a) => a.status === 200);
    assert.equal((await read('changed-slug')).json.name, winner.json.name);
  });

  it('unknown slugs are 404 to PUT, PATCH, DELETE and restore', async () => {
    for (const [method, path, opts] of [
      ['PUT', `${RES}/no-such-resource`, { json: newResource('no-such-resource') }],
      ['PATCH', `${RES}/no-such-resource`, { json: { name: 'x' } }],
      ['DELETE', `${RES}/no-such-resource`, {}],
      ['POST', `${RES}/no-such-resource/restore`, {}],
    ]) {
      const r = await call(base, method, path, { token: editor, ifMatch: '*', ...opts });
      assertProblem(r, 404, `${method} ${path}`);
      assertWriteHeaders(r, `${method} ${path}`);
    }
  });
});

describe('archiving and restoring a resource', () => {
  let made, archivedTag;
  before(async () => {
    // In the middle of the organisation's list, to see that restore puts it back there.
    made = await create('ceop', newResource('wombatish-guide', { name: 'Wombatish guide' }));
    await create('ceop', newResource('later-resource'));
  });

  it('DELETE needs If-Match (428, 412), then archives: GET 404, gone from the organisation and search', async () => {
    const none = await call(base, 'DELETE', `${RES}/wombatish-guide`, { token: editor });
    assertProblem(none, 428, 'DELETE without If-Match');
    const stale = await call(base, 'DELETE', `${RES}/wombatish-guide`, { token: editor, ifMatch: '"0123456789abcdef"' });
    assertProblem(stale, 412, 'DELETE with a stale tag');
    assert.equal(stale.headers.get('etag'), made.headers.get('etag'));
    assert.ok((await search('wombatish')).includes('ceop'));

    const r = await call(base, 'DELETE', `${RES}/wombatish-guide`, { token: editor, ifMatch: made.headers.get('etag') });
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'DELETE');
    assert.match(r.headers.get('etag'), ETAG);
    assert.equal(r.json.slug, 'wombatish-guide');
    assert.equal(r.json.name, 'Wombatish guide');
    archivedTag = r.headers.get('etag');

    assertProblem(await raw(base, { path: `${RES}/wombatish-guide` }), 404, 'GET an archived resource');
    const org = await readOrg('ceop');
    assert.ok(!org.resources.some((x) => x.slug === 'wombatish-guide'), 'the organisation no longer lists it');
    assert.ok(org.resources.some((x) => x.slug === 'later-resource'));
    assert.ok(!(await search('wombatish')).includes('ceop'), 'search no longer finds its words');
    const page = await get(`${base}/organisations/ceop`);
    assert.ok(!page.text.includes('Wombatish guide'), 'nor does the organisation\'s page');
  });

  it('an archived resource is 404 to DELETE, PUT and PATCH', async () => {
    for (const [method, opts] of [['DELETE', {}], ['PUT', { json: newResource('wombatish-guide') }], ['PATCH', { json: { name: 'x' } }]]) {
      assertProblem(await call(base, method, `${RES}/wombatish-guide`, { token: editor, ifMatch: '*', ...opts }), 404, method);
    }
  });

  it('restore needs If-Match (428, 412), then brings it back where it was; restoring again is 409', async () => {
    const none = await call(base, 'POST', `${RES}/wombatish-guide/restore`, { token: editor });
    assertProblem(none, 428, 'restore without If-Match');
    const stale = await call(base, 'POST', `${RES}/wombatish-guide/restore`, { token: editor, ifMatch: '"0123456789abcdef"' });
    assertProblem(stale, 412, 'restore with a stale tag');
    assert.equal(stale.headers.get('etag'), archivedTag, 'the 412 carries the archived resource\'s ETag');

    const r = await call(base, 'POST', `${RES}/wombatish-guide/restore`, { token: editor, ifMatch: archivedTag });
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'restore');
    const shown = await read('wombatish-guide');
    assert.equal(shown.status, 200);
    assert.equal(shown.text, r.text, 'GET shows what the restore answered');
    assert.equal(shown.etag, r.headers.get('etag'));
    const slugs = (await readOrg('ceop')).resources.map((x) => x.slug);
    assert.ok(slugs.indexOf('wombatish-guide') >= 0 && slugs.indexOf('wombatish-guide') < slugs.indexOf('later-resource'),
      `back in its place: ${slugs}`);
    assert.ok((await search('wombatish')).includes('ceop'), 'search finds it again');

    const again = await call(base, 'POST', `${RES}/wombatish-guide/restore`, { token: editor, ifMatch: '*' });
    const p = assertProblem(again, 409, 'restoring a resource that is not archived');
    assertWriteHeaders(again, 'restore 409');
    assert.match(p.detail, /not archived/);
    assert.deepEqual(revisions(r.json.id).map(([a]) => a), ['create', 'archive', 'restore']);
  });

  it('restore takes If-Match: *', async () => {
    const { etag } = await read('later-resource');
    assert.equal((await call(base, 'DELETE', `${RES}/later-resource`, { token: editor, ifMatch: etag })).status, 200);
    const r = await call(base, 'POST', `${RES}/later-resource/restore`, { token: editor, ifMatch: '*' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await read('later-resource')).status, 200);
  });

  it('resources of an archived organisation are 404 until it is restored', async () => {
    const org = await call(base, 'POST', ORGS, { token: editor, json: newOrg('with-a-resource') });
    await create('with-a-resource', newResource('belongs-to-it'));
    const del = await call(base, 'DELETE', `${ORGS}/with-a-resource`, { token: editor, ifMatch: '*' });
    assert.equal(del.status, 200, del.text);
    assertProblem(await raw(base, { path: `${RES}/belongs-to-it` }), 404, 'resource of an archived organisation');
    const back = await call(base, 'POST', `${ORGS}/with-a-resource/restore`, { token: editor, ifMatch: '*' });
    assert.equal(back.status, 200, back.text);
    assert.equal(org.status, 201);
    assert.equal((await read('belongs-to-it')).status, 200);
  });
});
