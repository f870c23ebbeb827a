// Full-text search: GET /api/v1/organisations?q=... Words are alternatives
// (OR), every word of three letters or more is a prefix, and the index holds
// more than the list shows (resources, contacts, search terms, topics and,
// weighed least, the topics' guidance). What the answer says it understood
// (corrections, topics meant, urgent help, suggestions) is in
// understanding.test.mjs.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { get, qs } from './lib/http.mjs';
import { ORGS, listAll, slugsOf, assertInvalidParams } from './lib/api.mjs';

let srv, base, all;

before(async () => {
  srv = await startServer();
  base = srv.base;
  all = await listAll(base);
});
after(() => srv?.stop());

const byName = (name) => {
  const o = all.items.find((x) => x.name === name);
  assert.ok(o, `${name} is in the directory`);
  return o;
};

async function search(q, extra = {}) {
  const r = await get(base + ORGS + qs({ q, per_page: 100, ...extra }));
  assert.equal(r.status, 200, `q=${JSON.stringify(q)}: ${r.text.slice(0, 300)}`);
  return r.json;
}

// The topics as GET /api/v1/topics/{slug} shows them, by slug (memoised).
let topicsBySlug;
async function topicDetails() {
  if (!topicsBySlug) {
    topicsBySlug = new Map();
    for (const t of (await get(base + '/api/v1/topics')).json.items) {
      topicsBySlug.set(t.slug, (await get(`${base}/api/v1/topics/${t.slug}`)).json);
    }
  }
  return topicsBySlug;
}

// What the search index holds for an organisation that counts in full,
// lower-cased: its own text (name, summary, description, search terms,
// resources, contact labels) and its topics' labels, descriptions and search
// terms. Everything but the topics' guidance.
async function indexedText(slug) {
  const o = (await get(`${base}${ORGS}/${slug}`)).json;
  const topics = await topicDetails();
  const ts = o.topics.map((t) => topics.get(t));
  return [o.name, o.summary, o.description, ...o.search_terms, ...o.resources.flatMap((r) => [r.name, r.summary]),
    ...o.contacts.map((c) => c.label), ...ts.flatMap((t) => [t.label, t.description, ...t.search_terms])]
    .join(' ').toLowerCase();
}

// The guidance of an organisation's topics, lower-cased (indexed, weighed least).
async function guidanceText(slug) {
  const o = (await get(`${base}${ORGS}/${slug}`)).json;
  const topics = await topicDetails();
  return o.topics.map((t) => topics.get(t).guidance_markdown).join(' ').toLowerCase();
}

const startsWord = (prefix) => new RegExp(`(^|[^\\p{L}\\p{N}])${prefix}`, 'u');

describe('search', () => {
  it('finds an organisation by its name', async () => {
    for (const name of ['NSPCC', 'Childline']) {
      const res = await search(name);
      assert.ok(res.total >= 1);
      assert.equal(res.items[0].slug, byName(name).slug, `q=${name}: ${slugsOf(res.items)}`);
    }
  });

  it('finds nothing for a word that is nowhere, with zero counts everywhere', async () => {
    const res = await search('xylophoneqqq');
    assert.equal(res.total, 0);
    assert.deepEqual(res.items, []);
    assert.ok(res.facets.audience.length > 0 && res.facets.topic.length > 0);
    for (const f of [...res.facets.audience, ...res.facets.topic]) assert.equal(f.count, 0, f.slug);
  });

  it('stems words: "bullied" finds organisations that only say bullying/bully', async () => {
    const res = await search('bullied');
    assert.ok(res.total >= 1, 'bullied finds something');
    const cyber = res.items.filter((o) => o.topics.includes('cyberbullying'));
    assert.ok(cyber.length >= 1, `a cyberbullying organisation: ${slugsOf(res.items)}`);
    let stemmedOnly = 0;
    for (const o of res.items) if (!(await indexedText(o.slug)).includes('bullied')) stemmedOnly++;
    assert.ok(stemmedOnly >= 1, 'at least one hit does not contain the literal word "bullied"');
    const bullying = await search('bullying');
    assert.ok(slugsOf(bullying.items).includes(byName('Anti-Bullying Alliance').slug), slugsOf(bullying.items).join());
  });

  it('matches every word as a prefix ("childl" finds Childline first), not as a correction', async () => {
    // exact=true: no typo correction, so only the prefix can find it.
    const res = await search('childl', { exact: 'true' });
    assert.equal(res.items[0].slug, byName('Childline').slug, slugsOf(res.items).join());
    assert.equal((await search('childl')).corrected, undefined, 'a prefix is not a typo');
    // Every hit has a word starting "childl" where the index has it: its own
    // text, its topics', or (weighed least) its topics' guidance, which the
    // list's JSON does not show.
    for (const o of res.items) {
      const where = `${await indexedText(o.slug)} ${await guidanceText(o.slug)}`;
      assert.match(where, startsWord('childl'), `${o.slug} has a word starting "childl"`);
    }
    const none = await search('childlzzz', { exact: 'true' });
    assert.equal(none.total, 0, slugsOf(none.items).join());
    // every word, not only the last
    for (const q of ['childl helpl', 'helpl childl']) {
      const both = await search(q, { exact: 'true' });
      assert.equal(both.items[0].slug, byName('Childline').slug, `${q}: both prefixes, and the name: first`);
    }
  });

  it('matches a prefix that runs past the stem ("groomin" finds what "grooming" finds), with exact=true too', async () => {
    for (const [prefix, word] of [['groomin', 'grooming'], ['bullyin', 'bullying'], ['reportin', 'reporting']]) {
      const full = await search(word);
      const res = await search(prefix, { exact: 'true' });
      assert.ok(res.total >= 1, `exact=true q=${prefix} finds something`);
      const found = new Set(slugsOf(res.items));
      for (const o of full.items) {
        if (startsWord(word).test(`${o.name} ${o.summary}`.toLowerCase())) {
          assert.ok(found.has(o.slug), `q=${prefix}: ${o.slug} says "${word}" in its name or summary`);
        }
      }
      assert.equal((await search(prefix)).corrected, undefined, `${prefix} is the start of "${word}", not a typo`);
    }
  });

  it('ORs the words: every organisation matching any of them, and only those', async () => {
    for (const [x, y] of [['online', 'safety'], ['sextortion', 'bullying'], ['deaf', 'bullying']]) {
      const both = await search(`${x} ${y}`);
      const a = new Set(slugsOf((await search(x)).items));
      const b = new Set(slugsOf((await search(y)).items));
      assert.ok(both.total >= 1);
      for (const s of slugsOf(both.items)) assert.ok(a.has(s) || b.has(s), `${x} ${y}: ${s}`);
      assert.equal(both.total, new Set([...a, ...b]).size, `${x} ${y}: every organisation matching either word`);
    }
    const junk = await search('online qqqzzzxxx');
    assert.deepEqual(slugsOf(junk.items), slugsOf((await search('online')).items),
      'an unknown word changes nothing');
  });

  it('ranks organisations whose own text has both words before those matching only one', async () => {
    // A word found only in the topics' guidance counts for little, so only
    // organisations that say both words where they count in full are sure
    // to match both; one found by a single word's search matches one at most.
    for (const [x, y] of [['grooming', 'bullying'], ['deaf', 'bullying'], ['sextortion', 'bullying']]) {
      const a = new Set(slugsOf((await search(x)).items));
      const b = new Set(slugsOf((await search(y)).items));
      const ranks = slugsOf((await search(`${x} ${y}`)).items);
      const sayBoth = [];
      for (const s of ranks) {
        const t = await indexedText(s);
        if (startsWord(x).test(t) && startsWord(y).test(t)) sayBoth.push(s);
      }
      const onlyOne = ranks.filter((s) => a.has(s) !== b.has(s));
      assert.ok(sayBoth.length >= 1 && onlyOne.length >= 1, `premise for "${x} ${y}": both kinds are found`);
      const lastBoth = Math.max(...sayBoth.map((s) => ranks.indexOf(s)));
      const firstOne = Math.min(...onlyOne.map((s) => ranks.indexOf(s)));
      assert.ok(lastBoth < firstOne,
        `"${x} ${y}": ${ranks[lastBoth]} says both words but comes after ${ranks[firstOne]}, which matches one: ${ranks}`);
    }
  });

  it('ranks a name match above a description-only match', async () => {
    // "Faithfull" is in the Lucy Faithfull Foundation's name, and only in the
    // description of Stop it Now! (which it runs).
    const lucy = byName('Lucy Faithfull Foundation');
    const stop = byName('Stop it Now! UK and Ireland');
    const stopDetail = (await get(base + stop.url)).json;
    assert.doesNotMatch(`${stop.name} ${stop.summary}`, /faithfull/i, 'premise: not in the name or summary');
    assert.match(stopDetail.description, /faithfull/i, 'premise: in the description');
    const res = await search('faithfull');
    const ranks = slugsOf(res.items);
    assert.ok(ranks.includes(stop.slug), `the description match is found: ${ranks}`);
    assert.equal(ranks[0], lucy.slug, `the name match first: ${ranks}`);
    assert.ok(ranks.indexOf(lucy.slug) < ranks.indexOf(stop.slug));
  });

  it('ranks by relevance, not by name, when q is given', async () => {
    // Without q "Childline" sorts before "NSPCC"; with q=NSPCC the NSPCC
    // (name match) must come before Childline (summary match).
    const res = await search('NSPCC');
    const ranks = slugsOf(res.items);
    assert.ok(ranks.includes(byName('Childline').slug), ranks.join());
    assert.ok(ranks.indexOf(byName('NSPCC').slug) < ranks.indexOf(byName('Childline').slug), ranks.join());
  });

  it('combines q with filters (AND)', async () => {
    const q = 'online';
    const plain = new Set(slugsOf((await search(q)).items));
    const res = await search(q, { audience: 'parents' });
    assert.ok(res.total >= 1);
    for (const o of res.items) {
      assert.ok(o.audiences.includes('parents'), o.slug);
      assert.ok(plain.has(o.slug), o.slug);
    }
  });

  it('pages search results consistently', async () => {
    const res = await search('online');
    assert.ok(res.total >= 2);
    const walked = [];
    for (let page = 1; page <= res.total; page++) {
      const r = await get(base + ORGS + qs({ q: 'online', per_page: 1, page }));
      assert.equal(r.json.total, res.total);
      walked.push(...slugsOf(r.json.items));
    }
    assert.deepEqual(walked, slugsOf(res.items), 'page by page = all at once');
  });
});

describe('hostile and unusual search text is never an error', () => {
  const cases = [
    '"', '""', '*', 'a*', '*a', 'AND', 'OR', 'NOT', 'online AND', 'OR NOT', 'AND OR NOT',
    'NEAR(a b)', 'NEAR(child abuse, 2)', 'name:foo', 'description:abuse', '{name summary}: x',
    '-', '-abuse', '^', '^child', '(((', ')))', '"unbalanced', 'un"bal"anced"',
    'child" OR "abuse', "'", "it's", ';', '\\', '%', '%%', '+', '&', '=', '#',
    '\u{1F600}', 'help \u{1F64F}\u{1F3FD} now', '\u{200B}', '\u00E9cole', '\u4E2D\u6587',
    'abc\tdef', '   ', '.', '....', 'a'.repeat(200), 'ab '.repeat(66) + 'ab', 'x '.repeat(100), '',
    'SELECT * FROM organisation; --', '<script>alert(1)</script>', 'null', 'undefined',
  ];
  for (const q of cases) {
    it(`q=${JSON.stringify(q.length > 40 ? q.slice(0, 40) + '...' : q)}`, async () => {
      const r = await get(base + ORGS + qs({ q }));
      assert.equal(r.status, 200, r.text.slice(0, 300));
      assert.ok(Array.isArray(r.json.items));
      assert.equal(typeof r.json.total, 'number');
      assert.ok(r.json.total <= all.total);
    });
  }

  it('treats quoted words as plain words ("child" finds what child finds)', async () => {
    const plain = await search('child');
    const quoted = await search('"child"');
    assert.deepEqual(slugsOf(quoted.items), slugsOf(plain.items));
  });
});

describe('q length is counted in code points, at most 200', () => {
  it('accepts 200 ASCII characters and rejects 201', async () => {
    assert.equal((await get(base + ORGS + qs({ q: 'a'.repeat(200) }))).status, 200);
    const r = await get(base + ORGS + qs({ q: 'a'.repeat(201) }));
    const p = assertInvalidParams(r, ['q'], 'query', 'q of 201 characters');
    assert.equal(p.errors[0].name, 'q');
  });

  it('accepts 200 "é" (400 bytes) and rejects 201', async () => {
    assert.equal((await get(base + ORGS + qs({ q: '\u00E9'.repeat(200) }))).status, 200);
    assertInvalidParams(await get(base + ORGS + qs({ q: '\u00E9'.repeat(201) })), ['q'], 'query', '201 é');
  });

  it('accepts 200 emoji (800 bytes, 400 UTF-16 units) and rejects 201', async () => {
    assert.equal((await get(base + ORGS + qs({ q: '\u{1F600}'.repeat(200) }))).status, 200);
    assertInvalidParams(await get(base + ORGS + qs({ q: '\u{1F600}'.repeat(201) })), ['q'], 'query', '201 emoji');
  });
});
