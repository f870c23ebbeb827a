// What a search understood, in the API's answer: corrections (and exact=true
// to turn them off), the topics its words name, urgent help, and never a dead
// end (suggestions). Every answer is validated against the OpenAPI document.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { get, qs } from './lib/http.mjs';
import { ORGS, slugsOf, assertInvalidParams } from './lib/api.mjs';

let srv, base;
before(async () => {
  srv = await startServer();
  base = srv.base;
});
after(() => srv?.stop());

async function search(params) {
  const r = await get(base + ORGS + qs({ per_page: 100, ...params }));
  assert.equal(r.status, 200, r.text.slice(0, 300));
  return r;
}

describe('what a search understood', () => {
  it('says what it corrected, keyed by q as sent, and finds what the corrected words find', async () => {
    const r = (await search({ q: 'parental contols' })).json;
    assert.deepEqual(r.corrected, { 'parental contols': 'parental controls' });
    const right = (await search({ q: 'parental controls' })).json;
    assert.deepEqual(slugsOf(r.items), slugsOf(right.items));
    assert.ok(r.topics_meant.some((t) => t.slug === 'parental-controls'), JSON.stringify(r.topics_meant));
  });

  it('exact=true searches the words as typed, and the Link header keeps it', async () => {
    const r = await search({ q: 'childine', exact: 'true', per_page: 1 });
    assert.equal(r.json.corrected, undefined);
    const corrected = (await search({ q: 'childine' })).json;
    assert.equal(corrected.items[0].slug, 'childline');
    assert.deepEqual(corrected.corrected, { childine: 'childline' });
    const bad = await get(base + ORGS + qs({ q: 'x', exact: 'yes' }));
    assertInvalidParams(bad, ['exact']);
  });

  it('names the topic its words mean, with its guidance page', async () => {
    const r = (await search({ q: 'sextortion' })).json;
    const t = r.topics_meant.find((x) => x.slug === 'exploitation');
    assert.ok(t, JSON.stringify(r.topics_meant));
    assert.equal(t.url, '/api/v1/topics/exploitation');
    assert.equal(t.guidance_url, '/topics/exploitation');
    assert.ok(r.total >= 1);
  });

  it('notices a cry for urgent help, and not an ordinary search', async () => {
    for (const q of ['help now', 'i am in danger', 'i want to hurt myself', 'emergency']) {
      const r = (await search({ q })).json;
      assert.equal(r.urgent, true, q);
      assert.equal(r.help_url, '/api/v1/help', q);
    }
    const calm = (await search({ q: 'online safety lesson plans' })).json;
    assert.equal(calm.urgent, false);
    assert.equal(calm.help_url, undefined);
  });

  it('answers a search of only stop words with every organisation, urgent-help ones first', async () => {
    const all = (await search({})).json;
    const r = (await search({ q: 'what do i do' })).json;
    assert.equal(r.total, all.total);
    const help = (await get(base + '/api/v1/help')).json.items.map((h) => h.organisation).filter(Boolean);
    assert.equal(r.items[0].slug, help[0], 'the first urgent-help organisation leads');
    assert.deepEqual([...slugsOf(r.items)].sort(), [...slugsOf(all.items)].sort());
  });

  it('never lets one unknown word empty the list', async () => {
    const a = (await search({ q: 'childline' })).json;
    const b = (await search({ q: 'childline qqqxxzz' })).json;
    assert.deepEqual(slugsOf(b.items), slugsOf(a.items));
  });

  it('puts organisations that match more of the words first', async () => {
    const r = (await search({ q: 'childline phone' })).json;
    assert.equal(r.items[0].slug, 'childline');
    assert.ok(r.total > 1, 'others that match one word are found too');
  });

  it('finds compounds joined and apart', async () => {
    assert.equal((await search({ q: 'child line' })).json.items[0].slug, 'childline');
    const cyber = (await search({ q: 'cyber bullying' })).json;
    assert.ok(cyber.items.slice(0, 3).some((o) => o.topics.includes('cyberbullying')), slugsOf(cyber.items).join());
  });

  it('is never a dead end: with nothing found, topics, urgent help and (when filters emptied it) the search without them', async () => {
    const none = (await search({ q: 'xqzvwk' })).json;
    assert.equal(none.total, 0);
    assert.ok(none.suggestions.topics.length >= 1);
    assert.equal(none.suggestions.help_url, '/api/v1/help');
    assert.equal(none.suggestions.search_url, null);
    const topics = (await get(base + '/api/v1/topics')).json.items;
    assert.deepEqual(none.suggestions.topics.map((t) => t.slug),
      topics.filter((t) => t.parent === null).map((t) => t.slug), 'every top-level topic');
    // "bsl" finds the National Deaf Children's Society, which is not filed
    // for worried adults: that filter empties the answer.
    const filtered = (await search({ q: 'bsl', audience: 'worried-adults' })).json;
    assert.equal(filtered.total, 0);
    assert.equal(filtered.suggestions.search_url, '/api/v1/organisations?q=bsl');
    const found = (await search({ q: 'childline' })).json;
    assert.equal(found.suggestions, undefined, 'no suggestions when something was found');
  });

  it('adds nothing to a list without q', async () => {
    const r = (await search({})).json;
    for (const k of ['corrected', 'topics_meant', 'urgent', 'suggestions']) assert.equal(r[k], undefined, k);
  });
});
