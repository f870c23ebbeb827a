// The taxonomy's write API: GET /api/v1/audiences/{slug}, POST
// /api/v1/audiences and /api/v1/topics, PUT, PATCH and DELETE on
// /api/v1/audiences/{slug} and /api/v1/topics/{slug}. Audiences and topics
// need an admin token. Every answer is validated against the OpenAPI
// document (call/get/raw run checkResponse).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertInvalidParams, assertProblem, sql } from '../http/lib/api.mjs';
import { raw } from '../http/lib/http.mjs';
import {
  ORGS, assertWriteHeaders, call, createToken, get, newOrg, startServer, tempDb,
} from './lib/curation.mjs';

const AUD = '/api/v1/audiences';
const TOP = '/api/v1/topics';
const MERGE = 'application/merge-patch+json';
const ETAG = /^"[0-9a-f]{16}"$/;

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

// Reads a public record without gzip; returns {status, json, text, etag}.
async function read(path) {
  const r = await raw(base, { path });
  return { status: r.status, json: r.json, text: r.text, etag: r.headers.etag };
}

async function create(path, json) {
  const r = await call(base, 'POST', path, { token: admin, json });
  assert.equal(r.status, 201, `POST ${path} ${json.slug}: ${r.text}`);
  assertWriteHeaders(r, `POST ${path}`);
  return r;
}

// A write with the current ETag of the record's public GET.
async function put(path, json, token = admin) {
  const { etag } = await read(path);
  return call(base, 'PUT', path, { token, json, ifMatch: etag });
}

async function makeOrg(slug, extra) {
  const r = await call(base, 'POST', ORGS, { token: editor, json: newOrg(slug, extra) });
  assert.equal(r.status, 201, r.text);
  return r;
}

const slugs = async (path) => (await get(base + path)).json.items.map((x) => x.slug);
const orgList = async (params) => (await get(`${base}${ORGS}?per_page=100&${params}`)).json;
const revisions = (entity, slug) => sql(db.dbPath,
  `SELECT action || '|' || actor FROM revision WHERE entity = '${entity}' AND entity_id =` +
  ` (SELECT entity_id FROM revision WHERE entity = '${entity}' AND json_extract(coalesce(after, before), '$.slug') = '${slug}' LIMIT 1) ORDER BY n`);

describe('GET /api/v1/audiences/{slug}', () => {
  it('the audience as the list shows it, plus organisations_url, whose total is its count', async () => {
    const list = (await get(base + AUD)).json.items;
    for (const entry of list) {
      const r = await raw(base, { path: `${AUD}/${entry.slug}` });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json), ['slug', 'label', 'description', 'count', 'organisations_url']);
      const { organisations_url: url, ...rest } = r.json;
      assert.deepEqual(rest, entry);
      assert.equal(url, `${ORGS}?audience=${entry.slug}`);
      assert.equal((await get(base + url)).json.total, entry.count);
      assert.equal(r.headers['cache-control'], 'public, max-age=60');
      assert.equal(r.headers['access-control-allow-origin'], '*');
      assert.match(r.headers.etag, ETAG);
    }
  });

  it('304 for If-None-Match, 404 problem for an unknown slug', async () => {
    const first = await read(`${AUD}/parents`);
    const again = await raw(base, { path: `${AUD}/parents`, headers: { 'if-none-match': first.etag } });
    assert.equal(again.status, 304);
    const p = assertProblem(await raw(base, { path: `${AUD}/teachers-x` }), 404, 'unknown audience');
    assert.match(p.detail, /teachers-x/);
  });
});

describe('who may change the taxonomy', () => {
  const writes = [
    ['POST', AUD, { json: { slug: 'by-editor', label: 'By an editor' } }],
    ['PUT', `${AUD}/parents`, { json: { slug: 'parents', label: 'Changed by an editor' }, ifMatch: '*' }],
    ['PATCH', `${AUD}/parents`, { json: { label: 'Changed by an editor' }, ifMatch: '*' }],
    ['DELETE', `${AUD}/parents`, { ifMatch: '*' }],
    ['POST', TOP, { json: { slug: 'by-editor', label: 'By an editor' } }],
    ['PUT', `${TOP}/grooming`, { json: { slug: 'grooming', label: 'Changed by an editor' }, ifMatch: '*' }],
    ['PATCH', `${TOP}/grooming`, { json: { label: 'Changed by an editor' }, ifMatch: '*' }],
    ['DELETE', `${TOP}/grooming`, { ifMatch: '*' }],
  ];

  it('an editor token is 403 on every taxonomy write, and nothing changes', async () => {
    const before = [await read(`${AUD}/parents`), await read(`${TOP}/grooming`)];
    for (const [method, path, opts] of writes) {
      const r = await call(base, method, path, { token: editor, ...opts });
      const p = assertProblem(r, 403, `${method} ${path} as an editor`);
      assertWriteHeaders(r, `${method} ${path} 403`);
      assert.match(p.detail, /admin/);
    }
    assert.equal((await read(`${AUD}/by-editor`)).status, 404);
    assert.equal((await read(`${TOP}/by-editor`)).status, 404);
    assert.deepEqual([await read(`${AUD}/parents`), await read(`${TOP}/grooming`)].map((x) => x.etag), before.map((x) => x.etag));
  });

  it('without a token, 401 with WWW-Authenticate', async () => {
    for (const [method, path, opts] of writes) {
      const r = await call(base, method, path, opts);
      assertProblem(r, 401, `${method} ${path} without a token`);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="signpost"');
      assertWriteHeaders(r, `${method} ${path} 401`);
    }
  });

  it('OPTIONS lists the write methods but lets other origins only read', async () => {
    for (const [path, allow] of [[AUD, 'GET, HEAD, POST, OPTIONS'], [TOP, 'GET, HEAD, POST, OPTIONS'],
      [`${AUD}/parents`, 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'], [`${TOP}/grooming`, 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS']]) {
      const r = await raw(base, { method: 'OPTIONS', path });
      assert.equal(r.status, 204);
      assert.equal(r.headers.allow, allow, path);
      assert.equal(r.headers['access-control-allow-methods'], 'GET, HEAD, OPTIONS');
      assert.ok(!/authorization/i.test(r.headers['access-control-allow-headers']));
    }
  });
});

describe('creating audiences and topics', () => {
  it('an audience: 201 with Location and ETag; the list, the filter and the facets know it at once', async () => {
    // Warm the caches with answers that do not have it yet.
    const facetsBefore = (await orgList('')).facets.audience.map((f) => f.slug);
    const listBefore = await slugs(AUD);
    assertInvalidParams(await get(`${base}${ORGS}?audience=teachers`), ['audience'], 'query', 'not yet an audience');

    const r = await create(AUD, { slug: 'teachers', label: 'Teachers and school staff', description: 'People who work in schools.' });
    assert.equal(r.headers.get('location'), `${AUD}/teachers`);
    assert.match(r.headers.get('etag'), ETAG);
    assert.deepEqual(r.json, { slug: 'teachers', label: 'Teachers and school staff', description: 'People who work in schools.',
      count: 0, organisations_url: `${ORGS}?audience=teachers` });
    const shown = await read(`${AUD}/teachers`);
    assert.equal(shown.text, r.text, 'GET shows exactly what the 201 answered');
    assert.equal(shown.etag, r.headers.get('etag'), 'with the same ETag');

    assert.deepEqual(await slugs(AUD), [...listBefore, 'teachers'], 'placed after the others');
    const list = await orgList('');
    assert.deepEqual(list.facets.audience.map((f) => f.slug), [...facetsBefore, 'teachers']);
    assert.equal(list.facets.audience.at(-1).count, 0);
    assert.equal((await orgList('audience=teachers')).total, 0, 'the filter takes it');

    await makeOrg('for-teachers', { audiences: ['teachers'] });
    const filtered = await orgList('audience=teachers');
    assert.deepEqual(filtered.items.map((x) => x.slug), ['for-teachers']);
    assert.equal((await read(`${AUD}/teachers`)).json.count, 1);
    assert.deepEqual(revisions('audience', 'teachers'), ['create|ada']);
  });

  it('a topic with a parent and guidance: in the list, the parent\'s children, the facets and its page at once', async () => {
    const facetsBefore = (await orgList('')).facets.topic.map((f) => f.slug);
    const parentBefore = (await read(`${TOP}/online-abuse`)).json;
    assert.equal((await get(`${base}/topics/sextortion`)).status, 404);

    const guidance = '## What it is\n\nSomeone threatens to share **nude images**. <script>alert(1)</script>\n';
    const r = await create(TOP, { slug: 'sextortion', label: 'Sextortion', description: 'Blackmail with images.',
      parent: 'online-abuse', guidance_markdown: guidance });
    assert.equal(r.headers.get('location'), `${TOP}/sextortion`);
    const t = r.json;
    assert.deepEqual([t.slug, t.label, t.description, t.parent, t.children, t.count, t.guidance_markdown],
      ['sextortion', 'Sextortion', 'Blackmail with images.', 'online-abuse', [], 0, guidance]);
    assert.match(t.guidance_html, /<h2>What it is<\/h2>/);
    assert.match(t.guidance_html, /<strong>nude images<\/strong>/);
    assert.ok(!t.guidance_html.includes('<script'), 'raw HTML is dropped');
    assert.equal(t.organisations_url, `${ORGS}?topic=sextortion`);
    const shown = await read(`${TOP}/sextortion`);
    assert.equal(shown.text, r.text);
    assert.equal(shown.etag, r.headers.get('etag'));

    const listed = (await get(base + TOP)).json.items.find((x) => x.slug === 'sextortion');
    assert.deepEqual(listed, { slug: 'sextortion', label: 'Sextortion', description: 'Blackmail with images.', parent: 'online-abuse', count: 0 });
    assert.deepEqual((await orgList('')).facets.topic.map((f) => f.slug), [...facetsBefore, 'sextortion']);
    const parent = (await read(`${TOP}/online-abuse`)).json;
    assert.deepEqual(parent.children, [...parentBefore.children, 'sextortion']);
    assert.equal(parent.count, parentBefore.count);

    const page = await get(`${base}/topics/sextortion`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Sextortion/);
    assert.match(page.text, /<h2>What it is<\/h2>/);
    assert.ok(!page.text.includes('<script>alert(1)'), 'the page drops raw HTML too');

    // Filed under the new sub-topic, an organisation matches the parent's filter too.
    await makeOrg('sextortion-help', { topics: ['sextortion'] });
    assert.deepEqual((await orgList('topic=sextortion')).items.map((x) => x.slug), ['sextortion-help']);
    assert.ok((await orgList('topic=online-abuse')).items.some((x) => x.slug === 'sextortion-help'));
    assert.equal((await read(`${TOP}/sextortion`)).json.count, 1);
    assert.equal((await read(`${TOP}/online-abuse`)).json.count, parentBefore.count + 1);
  });

  it('position places a term in the display order', async () => {
    await create(AUD, { slug: 'first-of-all', label: 'First of all', position: -5 });
    assert.equal((await slugs(AUD))[0], 'first-of-all');
    assert.equal((await orgList('')).facets.audience[0].slug, 'first-of-all');
  });

  it('422 lists every problem with its JSON pointer', async () => {
    const r = await call(base, 'POST', TOP, {
      token: admin,
      json: { slug: 'Not A Slug', label: '', description: 'x'.repeat(1001), position: 'last', parent: 'no-such-topic',
        guidance_markdown: 5, colour: 'red', count: 3, children: ['ignored'], guidance_html: '<p>ignored</p>',
        organisations_url: '/ignored' },
    });
    const p = assertProblem(r, 422, 'a topic with many mistakes');
    assertWriteHeaders(r, 'POST topic 422');
    assert.equal(p.type, '/problems/invalid-record');
    assert.deepEqual(p.errors.map((e) => e.name).sort(),
      ['/colour', '/description', '/guidance_markdown', '/label', '/parent', '/position', '/slug']);
    for (const e of p.errors) assert.equal(e.in, 'body');

    const aud = await call(base, 'POST', AUD, { token: admin, json: { slug: 'kids', label: 'x'.repeat(121), parent: null, guidance_markdown: '' } });
    const q = assertProblem(aud, 422, 'an audience with members of a topic');
    assert.deepEqual(q.errors.map((e) => e.name).sort(), ['/guidance_markdown', '/label', '/parent']);
    const empty = assertProblem(await call(base, 'POST', AUD, { token: admin, json: {} }), 422, '{}');
    assert.deepEqual(empty.errors.map((e) => e.name).sort(), ['/label', '/slug']);
    const self = await put(`${TOP}/grooming`, { slug: 'grooming', label: 'Grooming', parent: 'grooming' });
    assert.deepEqual(assertProblem(self, 422, 'a topic its own parent').errors.map((e) => e.name), ['/parent']);
    for (const path of [`${TOP}/not-a-slug`, `${AUD}/kids`]) assert.equal((await read(path)).status, 404);
  });

  it('400 for bad JSON, 415 for another media type', async () => {
    assertProblem(await call(base, 'POST', AUD, { token: admin, body: '{"slug":', contentType: 'application/json' }), 400, 'bad JSON');
    const r = await call(base, 'POST', TOP, { token: admin, body: '{"slug":"x","label":"x"}', contentType: 'text/plain' });
    assertProblem(r, 415, 'text/plain');
    assertWriteHeaders(r, 'POST 415');
    assert.equal((await read(`${TOP}/x`)).status, 404);
  });

  it('409 for a slug another term of the same kind has', async () => {
    for (const [path, slug] of [[AUD, 'parents'], [TOP, 'grooming']]) {
      const r = await call(base, 'POST', path, { token: admin, json: { slug, label: 'Again' } });
      const p = assertProblem(r, 409, `POST ${path} ${slug}`);
      assertWriteHeaders(r, 'POST 409');
      assert.equal(p.type, '/problems/conflict');
      assert.deepEqual(p.errors.map((e) => [e.name, e.in]), [['/slug', 'body']]);
    }
    // Audiences and topics are separate: a topic may share an audience's slug.
    await create(TOP, { slug: 'parents', label: 'Parenting' });
    assert.equal((await read(`${AUD}/parents`)).json.label, 'Parents and carers');
  });
});

describe('changing audiences and topics', () => {
  it('PUT needs If-Match with the ETag of the public GET: 428 without, 412 when stale', async () => {
    await create(AUD, { slug: 'carers', label: 'Carers' });
    const { etag } = await read(`${AUD}/carers`);
    const none = await call(base, 'PUT', `${AUD}/carers`, { token: admin, json: { slug: 'carers', label: 'Young carers' } });
    assertProblem(none, 428, 'PUT without If-Match');
    assertWriteHeaders(none, 'PUT 428');
    // The GET (and so its tag) changes when an organisation is filed under it.
    await makeOrg('carers-trust', { audiences: ['carers'] });
    const stale = await call(base, 'PUT', `${AUD}/carers`, { token: admin, ifMatch: etag, json: { slug: 'carers', label: 'Young carers' } });
    assertProblem(stale, 412, 'PUT with the tag from before the count changed');
    assertWriteHeaders(stale, 'PUT 412');
    const now = await read(`${AUD}/carers`);
    assert.equal(stale.headers.get('etag'), now.etag, 'the 412 carries the current ETag');
    assert.equal(now.json.label, 'Carers');

    const r = await call(base, 'PUT', `${AUD}/carers`, { token: admin, ifMatch: now.etag, json: { slug: 'carers', label: 'Young carers' } });
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'PUT');
    assert.deepEqual(r.json, { slug: 'carers', label: 'Young carers', description: '', count: 1, organisations_url: `${ORGS}?audience=carers` });
    const shown = await read(`${AUD}/carers`);
    assert.equal(shown.text, r.text);
    assert.equal(shown.etag, r.headers.get('etag'));
    assert.ok((await get(base + AUD)).json.items.some((x) => x.slug === 'carers' && x.label === 'Young carers'));
    assert.deepEqual(revisions('audience', 'carers'), ['create|ada', 'update|ada']);
  });

  it('a topic read with GET can be sent back whole: count, children, guidance_html and organisations_url are ignored', async () => {
    const { json, etag } = await read(`${TOP}/online-abuse`);
    const r = await call(base, 'PUT', `${TOP}/online-abuse`, {
      token: admin, ifMatch: etag,
      json: { ...json, label: 'Abuse online', count: 0, children: [], guidance_html: '<p>x</p>', organisations_url: '/x' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.label, 'Abuse online');
    assert.deepEqual([r.json.count, r.json.children, r.json.guidance_markdown, r.json.parent],
      [json.count, json.children, json.guidance_markdown, null], 'derived members come from the data, not the body');
    assert.equal(r.json.guidance_html, json.guidance_html);
    assert.ok((await orgList('')).facets.topic.some((f) => f.slug === 'online-abuse' && f.label === 'Abuse online'),
      'the facets show the new label at once');
    const page = await get(`${base}/topics/online-abuse`);
    assert.match(page.text, /Abuse online/);
  });

  it('PUT: members left out are emptied; parent null makes a top-level topic', async () => {
    await create(TOP, { slug: 'moving-topic', label: 'Moving', description: 'Has a parent.', parent: 'reporting',
      guidance_markdown: 'Some *guidance*.' });
    assert.ok((await read(`${TOP}/reporting`)).json.children.includes('moving-topic'));
    const r = await put(`${TOP}/moving-topic`, { slug: 'moving-topic', label: 'Moved', parent: null });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.label, r.json.description, r.json.parent, r.json.guidance_markdown, r.json.guidance_html],
      ['Moved', '', null, '', '']);
    assert.ok(!(await read(`${TOP}/reporting`)).json.children.includes('moving-topic'));
    const moved = await put(`${TOP}/moving-topic`, { slug: 'moving-topic', label: 'Moved', parent: 'wellbeing' });
    assert.equal(moved.json.parent, 'wellbeing');
    assert.ok((await read(`${TOP}/wellbeing`)).json.children.includes('moving-topic'));
  });

  it('a new slug renames the term: organisations keep it, the old slug is 404 and an unknown filter', async () => {
    await create(AUD, { slug: 'rename-me', label: 'Rename me' });
    await makeOrg('keeps-its-audience', { audiences: ['rename-me'] });
    const r = await put(`${AUD}/rename-me`, { slug: 'renamed', label: 'Renamed' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.count, 1);
    assert.equal((await read(`${AUD}/rename-me`)).status, 404);
    assert.deepEqual((await read(`${ORGS}/keeps-its-audience`)).json.audiences, ['renamed']);
    assert.deepEqual((await orgList('audience=renamed')).items.map((x) => x.slug), ['keeps-its-audience']);
    assertInvalidParams(await get(`${base}${ORGS}?audience=rename-me`), ['audience'], 'query', 'the old slug');

    const taken = await put(`${TOP}/moving-topic`, { slug: 'grooming', label: 'Moved' });
    const p = assertProblem(taken, 409, 'renaming a topic onto a taken slug');
    assert.equal(p.type, '/problems/conflict');
  });

  it('unknown slugs are 404 to PUT, PATCH and DELETE', async () => {
    for (const path of [`${AUD}/no-such-term`, `${TOP}/no-such-term`]) {
      for (const [method, opts] of [['PUT', { json: { slug: 'no-such-term', label: 'x' } }], ['PATCH', { json: { label: 'x' } }], ['DELETE', {}]]) {
        const r = await call(base, method, path, { token: admin, ifMatch: '*', ...opts });
        assertProblem(r, 404, `${method} ${path}`);
        assertWriteHeaders(r, `${method} ${path} 404`);
      }
    }
  });

  it('PATCH merges into the term as GET shows it (audience)', async () => {
    await create(AUD, { slug: 'patch-me', label: 'Patch me', description: 'Kept.', position: 50 });
    const { etag } = await read(`${AUD}/patch-me`);
    const r = await call(base, 'PATCH', `${AUD}/patch-me`, { token: admin, ifMatch: etag, contentType: MERGE, json: { label: 'Patched' } });
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'PATCH audience');
    assert.deepEqual([r.json.label, r.json.description], ['Patched', 'Kept.']);
  });

  it('PATCH merges into the term as GET shows it (topic; guidance and parent kept)', async () => {
    await create(TOP, { slug: 'patch-topic', label: 'Patch me', parent: 'reporting', guidance_markdown: 'Kept *guidance*.' });
    const { etag } = await read(`${TOP}/patch-topic`);
    const r = await call(base, 'PATCH', `${TOP}/patch-topic`, { token: admin, ifMatch: etag, contentType: MERGE, json: { label: 'Patched' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.label, r.json.parent, r.json.guidance_markdown], ['Patched', 'reporting', 'Kept *guidance*.']);
    const top = await call(base, 'PATCH', `${TOP}/patch-topic`, { token: admin, ifMatch: r.headers.get('etag'), json: { parent: null } });
    assert.equal(top.status, 200, top.text);
    assert.equal(top.json.parent, null);
  });

  it('a topic cannot become its own ancestor', async () => {
    await create(TOP, { slug: 'cycle-a', label: 'Cycle A' });
    await create(TOP, { slug: 'cycle-b', label: 'Cycle B', parent: 'cycle-a' });
    const r = await put(`${TOP}/cycle-a`, { slug: 'cycle-a', label: 'Cycle A', parent: 'cycle-b' });
    const p = assertProblem(r, 422, 'a parent cycle');
    assert.deepEqual(p.errors.map((e) => e.name), ['/parent']);
  });

  it('a topic\'s new label and description reach search', async () => {
    await create(TOP, { slug: 'searchable-topic', label: 'Zorbleflap', description: 'Zorbleflap things.' });
    await makeOrg('tagged-for-search', { topics: ['searchable-topic'] });
    const search = async (q) => (await orgList(`q=${q}`)).items.map((x) => x.slug);
    assert.ok((await search('zorbleflap')).includes('tagged-for-search'), 'found by the label it was tagged with');
    const r = await put(`${TOP}/searchable-topic`, { slug: 'searchable-topic', label: 'Quibblewick', description: 'Quibblewick things.' });
    assert.equal(r.status, 200, r.text);
    assert.ok((await search('quibblewick')).includes('tagged-for-search'), 'found by the new label');
    assert.ok(!(await search('zorbleflap')).includes('tagged-for-search'), 'not by the old one');
  });

  it('a topic read with GET and sent back with PUT keeps its place', async () => {
    const before = await slugs(TOP);
    const { json, etag } = await read(`${TOP}/grooming`);
    const r = await call(base, 'PUT', `${TOP}/grooming`, { token: admin, ifMatch: etag, json: { ...json, label: 'Grooming online' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await slugs(TOP), before);
  });
});

describe('deleting audiences and topics', () => {
  it('an unused term: 428 and 412 first, then 204; GET 404, gone from the list and the facets; the slug can be used again', async () => {
    await create(AUD, { slug: 'short-lived', label: 'Short-lived' });
    const made = await read(`${AUD}/short-lived`);
    const none = await call(base, 'DELETE', `${AUD}/short-lived`, { token: admin });
    assertProblem(none, 428, 'DELETE without If-Match');
    const stale = await call(base, 'DELETE', `${AUD}/short-lived`, { token: admin, ifMatch: '"0123456789abcdef"' });
    assertProblem(stale, 412, 'DELETE with a stale tag');
    assert.equal(stale.headers.get('etag'), made.etag);
    assert.ok((await orgList('')).facets.audience.some((f) => f.slug === 'short-lived'));

    const r = await call(base, 'DELETE', `${AUD}/short-lived`, { token: admin, ifMatch: made.etag });
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '');
    assertWriteHeaders(r, 'DELETE 204');
    assertProblem(await raw(base, { path: `${AUD}/short-lived` }), 404, 'GET a deleted audience');
    assert.ok(!(await slugs(AUD)).includes('short-lived'));
    assert.ok(!(await orgList('')).facets.audience.some((f) => f.slug === 'short-lived'));
    assertInvalidParams(await get(`${base}${ORGS}?audience=short-lived`), ['audience'], 'query', 'a deleted audience');
    assert.deepEqual(revisions('audience', 'short-lived'), ['create|ada', 'archive|ada'], 'its last revision keeps it');
    assertProblem(await call(base, 'DELETE', `${AUD}/short-lived`, { token: admin, ifMatch: '*' }), 404, 'DELETE again');
    await create(AUD, { slug: 'short-lived', label: 'Short-lived again' });
  });

  it('an unused topic: 204, and its page is gone', async () => {
    await create(TOP, { slug: 'brief-topic', label: 'Brief topic', parent: 'wellbeing', guidance_markdown: 'Brief.' });
    assert.equal((await get(`${base}/topics/brief-topic`)).status, 200);
    const r = await call(base, 'DELETE', `${TOP}/brief-topic`, { token: admin, ifMatch: (await read(`${TOP}/brief-topic`)).etag });
    assert.equal(r.status, 204, r.text);
    assertProblem(await raw(base, { path: `${TOP}/brief-topic` }), 404, 'GET a deleted topic');
    assert.ok(!(await slugs(TOP)).includes('brief-topic'));
    assert.ok(!(await read(`${TOP}/wellbeing`)).json.children.includes('brief-topic'));
    assert.equal((await get(`${base}/topics/brief-topic`)).status, 404);
  });

  it('409 while organisations (archived too), resources or sub-topics use it; nothing changes', async () => {
    const inUse = async (path, what) => {
      const { etag } = await read(path);
      const r = await call(base, 'DELETE', path, { token: admin, ifMatch: etag });
      const p = assertProblem(r, 409, `DELETE ${path} (${what})`);
      assertWriteHeaders(r, 'DELETE 409');
      assert.match(p.detail, /still used/);
      assert.equal((await read(path)).status, 200, 'still there');
    };
    await inUse(`${AUD}/parents`, 'organisations');
    await inUse(`${TOP}/online-abuse`, 'sub-topics');

    await create(AUD, { slug: 'resource-only', label: 'Resource only' });
    const res = await call(base, 'POST', `${ORGS}/nspcc/resources`, { token: editor,
      json: { slug: 'uses-resource-only', name: 'Uses it', type: 'guidance', source: 'tests', audiences: ['resource-only'] } });
    assert.equal(res.status, 201, res.text);
    await inUse(`${AUD}/resource-only`, 'a resource');
    const off = await call(base, 'PATCH', '/api/v1/resources/uses-resource-only', { token: editor, ifMatch: res.headers.get('etag'), json: { audiences: [] } });
    assert.equal(off.status, 200, off.text);
    assert.equal((await call(base, 'DELETE', `${AUD}/resource-only`, { token: admin, ifMatch: '*' })).status, 204);

    await create(TOP, { slug: 'archived-use', label: 'Archived use' });
    const org = await makeOrg('archived-user', { topics: ['archived-use'] });
    assert.equal((await call(base, 'DELETE', `${ORGS}/archived-user`, { token: editor, ifMatch: org.headers.get('etag') })).status, 200);
    assert.equal((await read(`${TOP}/archived-use`)).json.count, 0, 'the count leaves archived organisations out');
    await inUse(`${TOP}/archived-use`, 'an archived organisation');
  });

  it('a deleted term comes back with restore: same id and fields, a restore revision; 409 while the slug is taken, 404 if never deleted', async () => {
    await create(TOP, { slug: 'come-back', label: 'Come back', description: 'Returns.', parent: 'wellbeing', guidance_markdown: 'Back **again**.' });
    const before = await read(`${TOP}/come-back`);
    assert.equal((await call(base, 'DELETE', `${TOP}/come-back`, { token: admin, ifMatch: before.etag })).status, 204);
    assertProblem(await call(base, 'POST', `${TOP}/come-back/restore`, { token: editor }), 403, 'an editor');
    const r = await call(base, 'POST', `${TOP}/come-back/restore`, { token: admin });
    assert.equal(r.status, 200, r.text);
    assertWriteHeaders(r, 'restore 200');
    const after = await read(`${TOP}/come-back`);
    assert.deepEqual(after.json, before.json, 'as it was');
    assert.deepEqual(revisions('topic', 'come-back'), ['create|ada', 'archive|ada', 'restore|ada']);
    assertProblem(await call(base, 'POST', `${TOP}/come-back/restore`, { token: admin }), 409, 'restore while it exists');
    assertProblem(await call(base, 'POST', `${AUD}/never-was/restore`, { token: admin }), 404, 'restore what never was');
  });

  it('a new term goes after the others even after a deletion', async () => {
    await create(AUD, { slug: 'zz-one', label: 'One' });
    await create(AUD, { slug: 'zz-two', label: 'Two' });
    assert.equal((await call(base, 'DELETE', `${AUD}/zz-one`, { token: admin, ifMatch: '*' })).status, 204);
    await create(AUD, { slug: 'aa-last', label: 'Last' });
    const order = await slugs(AUD);
    assert.ok(order.indexOf('aa-last') > order.indexOf('zz-two'), `after zz-two: ${order}`);
  });
});
