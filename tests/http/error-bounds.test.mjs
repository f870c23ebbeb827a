// Error answers stay small, whatever the request (issue 13, item 5). The
// server's limits on a request are the request target (8 KiB unless
// --max-target says otherwise, http.c), 64 parameters (QUERY_MAX_PARAMS,
// lib/query.h) and, for audience and topic, any number of comma-separated
// values within those. Within them:
//  - no problem+json body is longer than 16 KiB (PROBLEM_BODY_MAX,
//    views/problem.h), the write API's 422s included;
//  - unknown audience or topic values are one problem per parameter, which
//    lists the valid values once and names at most five unknown values (each
//    cut to 60 characters), counting the rest ("and 2,378 more");
//  - the site's error page for the same mistakes is no longer than for one
//    unknown value, give or take a sentence, and names at most three.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tempDir } from './lib/server.mjs';
import { raw, get } from './lib/http.mjs';
import { ORGS, assertProblem, assertInvalidParams, fillTarget } from './lib/api.mjs';
import { call, createToken, newOrg } from '../curation/lib/curation.mjs';
import path from 'node:path';

const TARGET_MAX = 8192;       // the default --max-target
const PARAMS_MAX = 64;         // QUERY_MAX_PARAMS
const BODY_MAX = 16 * 1024;    // PROBLEM_BODY_MAX
const NAMED_MAX = 5;           // unknown values an API problem names
const count = (n) => n.toLocaleString('en-GB');

let srv, base, topics, audiences;

before(async () => {
  srv = await startServer();
  base = srv.base;
  topics = (await get(base + '/api/v1/topics')).json.items.map((t) => t.slug);
  audiences = (await get(base + '/api/v1/audiences')).json.items.map((a) => a.slug);
});
after(() => srv?.stop());

const fill = (prefix, value, { limit = TARGET_MAX } = {}) => fillTarget(prefix, value, limit);

// Short distinct values that are no audience or topic: "0", "1"... "zz".
const short = (i) => i.toString(36);
// Values that escape to six times their length in JSON: "<<<...<" + i.
const angles = (i) => '%3C'.repeat(60) + short(i);

function bodyBytes(r) {
  return Buffer.byteLength(r.text, 'utf8');
}

function assertBounded(r, what) {
  assert.ok(bodyBytes(r) <= BODY_MAX, `${what}: a ${bodyBytes(r)}-byte error body (at most ${BODY_MAX})`);
}

// The quoted unknown values a reason names.
const namedIn = (reason) => reason.slice(0, reason.indexOf('; valid')).match(/'[^']*'/g) || [];

describe('unknown audiences and topics in the API', () => {
  for (const [name, valid] of [['topic', () => topics], ['audience', () => audiences]]) {
    it(`an 8 KiB target of unknown ${name} values: one problem, the valid values once, five values named, at most 16 KiB`, async () => {
      const { path: p, n } = fill(`${ORGS}?${name}=`, short);
      assert.ok(p.length > TARGET_MAX - 8 && n > 2000, `${p.length} bytes, ${n} values`);
      const r = await raw(base, { path: p });
      assertBounded(r, `${n} unknown ${name} values`);
      const body = assertInvalidParams(r, [name], 'query', `${n} unknown ${name} values`);
      const [e] = body.errors;
      assert.deepEqual(e.valid, valid(), 'every valid value, in display order');
      assert.deepEqual(e.reason.split('; valid values are ')[1].split(', '), valid(),
        `the reason names every valid value once: ${e.reason}`);
      assert.equal(namedIn(e.reason).length, NAMED_MAX, e.reason);
      assert.ok(e.reason.includes(`has ${count(n)} unknown values`), e.reason);
      assert.ok(e.reason.includes(`and ${count(n - NAMED_MAX)} more`), e.reason);
    });
  }

  it('one unknown value among known ones is named alone', async () => {
    const r = await raw(base, { path: `${ORGS}?topic=${topics[0]},nope,${topics[1]}` });
    const [e] = assertInvalidParams(r, ['topic']).errors;
    assert.match(e.reason, /^has an unknown value 'nope'; valid values are /);
  });

  it('audience and topic together, and the 64 parameters the target may have, stay within 16 KiB', async () => {
    const half = fill(`${ORGS}?audience=`, short, { limit: TARGET_MAX / 2 });
    const both = fill(`${half.path}&topic=`, (i) => short(i + half.n));
    let r = await raw(base, { path: both.path });
    assertBounded(r, 'audience and topic');
    assertInvalidParams(r, ['audience', 'topic']);

    const perParam = Math.floor((TARGET_MAX - ORGS.length - 1) / PARAMS_MAX) - '&topic='.length;
    let i = 0;
    const params = [];
    for (let k = 0; k < PARAMS_MAX; k++) {
      const some = fill('', (j) => short(i + j), { limit: perParam });
      params.push('topic=' + some.path);
      i += some.n;
    }
    const p = `${ORGS}?${params.join('&')}`;
    assert.ok(p.length <= TARGET_MAX, `${p.length} bytes`);
    r = await raw(base, { path: p });
    assertBounded(r, '64 topic parameters');
    const [e] = assertInvalidParams(r, ['topic']).errors;
    assert.ok(e.reason.includes(`and ${count(i - NAMED_MAX)} more`), e.reason);
  });

  it('values that escape to six times their size are cut to 60 characters: still within 16 KiB', async () => {
    const { path: p, n } = fill(`${ORGS}?topic=`, angles);
    const r = await raw(base, { path: p });
    assertBounded(r, `${n} long values`);
    const [e] = assertInvalidParams(r, ['topic'], 'query', `${n} long values`).errors;
    const named = namedIn(e.reason);
    assert.equal(named.length, NAMED_MAX);
    for (const v of named) assert.equal(v, `'${'<'.repeat(60)}\u2026'`, 'cut to 60 characters, with an ellipsis');
  });

  it('every parameter wrong at once: each one named, within 16 KiB', async () => {
    const list = (k) => Array.from({ length: 40 }, (_, i) => '%3C'.repeat(20) + k + i).join(',');
    const p = `${ORGS}?q=${'%3C'.repeat(201)}&page=0&per_page=0&format=xml&exact=maybe` +
      `&audience=${list('a')}&topic=${list('t')}`;
    assert.ok(p.length <= TARGET_MAX);
    const r = await raw(base, { path: p });
    assertBounded(r, 'every parameter');
    assertInvalidParams(r, ['q', 'page', 'per_page', 'format', 'exact', 'audience', 'topic']);
  });
});

describe('a request target that cannot be read', () => {
  for (const [what, name] of [['control characters', '%01'], ['angle brackets', '<']]) {
    it(`an 8 KiB parameter name of ${what} with a bad value: its name cut, within 16 KiB`, async () => {
      const p = `${ORGS}?${name.repeat(Math.floor((TARGET_MAX - ORGS.length - 8) / name.length))}=%FF`;
      const r = await raw(base, { path: p });
      const body = assertProblem(r, 400, what);
      assertBounded(r, what);
      assert.equal(body.errors.length, 1);
      assert.ok(body.errors[0].name.endsWith('\u2026'), 'the name is cut, with an ellipsis');
    });
  }
});

describe('a larger --max-target', () => {
  let big;
  before(async () => {
    const t = await tempDir();
    big = await startServer({ args: ['serve', '--port', '0', '--bind', '127.0.0.1', '--db',
      path.join(t.dir, 'signpost.db'), '--max-target', '30000'] });
    big.remove = t.remove;
  });
  after(async () => {
    await big?.stop();
    await big?.remove();
  });

  it('a 30,000-byte target of unknown values is still answered within 16 KiB', async () => {
    for (const value of [short, angles]) {
      const { path: p, n } = fill(`${ORGS}?topic=`, value, { limit: 30000 });
      const r = await raw(big.base, { path: p });
      assertBounded(r, `${p.length}-byte target`);
      const [e] = assertInvalidParams(r, ['topic'], 'query', `${n} values`).errors;
      assert.ok(e.reason.includes(`and ${count(n - NAMED_MAX)} more`), e.reason);
    }
  });
});

describe('the write API, and a taxonomy grown large', () => {
  let w, token, admin, remove;
  before(async () => {
    const t = await tempDir();
    remove = t.remove;
    const dbPath = path.join(t.dir, 'signpost.db');
    w = await startServer({ dbPath });
    token = await createToken(dbPath, 'bounds', 'editor');
    admin = await createToken(dbPath, 'bounds-admin', 'admin');
  });
  after(async () => {
    await w?.stop();
    await remove?.();
  });

  it('a body with 4,000 unknown members: a 422 within 16 KiB that counts what it does not list', async () => {
    const body = newOrg('bounds-test');
    for (let i = 0; i < 4000; i++) body['<'.repeat(40) + i] = 1;
    const r = await call(w.base, 'POST', ORGS, { token, json: body });
    const p = assertProblem(r, 422, '4,000 unknown members');
    assertBounded(r, '422');
    assert.ok(p.errors.length >= 1 && p.errors.length < 4000, `${p.errors.length} listed`);
    assert.match(p.detail, new RegExp(`; and [0-9,]+ more \\(errors lists the first ${p.errors.length} of 4,000\\)$`),
      p.detail);
  });

  it('with 1 KiB of topic slugs and more, an unknown topic lists the first ones and says where the rest are', async () => {
    for (let i = 0; i < 40; i++) {
      const slug = `a-long-topic-slug-made-to-fill-the-list-of-valid-values-${String(i).padStart(2, '0')}`;
      const r = await call(w.base, 'POST', '/api/v1/topics', { token: admin, json: { slug, label: `Topic ${i}` } });
      assert.equal(r.status, 201, r.text);
    }
    const all = (await get(w.base + '/api/v1/topics')).json.items.map((t) => t.slug);
    assert.ok(all.join(', ').length > 2048, `${all.join(', ').length} bytes of slugs`);
    const { path: p } = fill(`${ORGS}?topic=`, short);
    const r = await raw(w.base, { path: p });
    assertBounded(r, 'a large taxonomy');
    const [e] = assertInvalidParams(r, ['topic']).errors;
    assert.ok(e.valid.length < all.length && e.valid.join(', ').length <= 1024, `${e.valid.length} of ${all.length} listed`);
    assert.deepEqual(e.valid, all.slice(0, e.valid.length), 'the first ones, in display order');
    assert.ok(e.reason.endsWith(`; valid values include ${e.valid.join(', ')} and ${all.length - e.valid.length} more ` +
      '(GET /api/v1/topics lists them all)'), e.reason);
  });
});

describe('the site', () => {
  // The HTML error page for one unknown topic: what the worst may add to.
  let oneUnknown;
  before(async () => {
    oneUnknown = await raw(base, { path: '/organisations?topic=nope' });
    assert.equal(oneUnknown.status, 400);
  });

  const detailOf = (r) => {
    const m = /<p class="error-detail">([^<]*)<\/p>/.exec(r.text);
    assert.ok(m, `an error detail in ${r.text.slice(0, 300)}`);
    return m[1];
  };

  it('an 8 KiB target of unknown topics: the page for one, plus a sentence', async () => {
    for (const value of [short, angles]) {
      const { path: p, n } = fill('/organisations?topic=', value);
      const r = await raw(base, { path: p });
      assert.equal(r.status, 400);
      assert.match(r.headers['content-type'], /^text\/html/);
      assert.ok(bodyBytes(r) <= bodyBytes(oneUnknown) + 1024,
        `${bodyBytes(r)} bytes for ${n} unknown topics, ${bodyBytes(oneUnknown)} for one`);
      const detail = detailOf(r);
      assert.equal(detail.match(/\u201c/g).length, 3, `three values named: ${detail}`);
      assert.ok(detail.endsWith(`nor any of the ${count(n - 3)} others in the address.`), detail);
    }
  });

  it('a long value is cut between characters, never inside one', async () => {
    const r = await raw(base, { path: `/organisations?topic=a${'%C3%A9'.repeat(80)}` });
    assert.equal(r.status, 400);
    assert.doesNotThrow(() => new TextDecoder('utf-8', { fatal: true }).decode(r.raw), 'the page is UTF-8');
    assert.ok(detailOf(r).includes(`\u201ca${'\u00e9'.repeat(59)}\u2026\u201d`), detailOf(r));
  });
});
