// What a search understood, in the API's answer: corrections (and exact=true
// to turn them off), the topics its words name, urgent help, and never a dead
// end (suggestions); and how it reads people's words: stop words, text-speak,
// compounds, unknown words, more words matched first. Every answer is
// validated against the OpenAPI document (whose OrganisationList schema also
// ties the members together: help_url exactly when urgent, suggestions
// exactly when a search found nothing).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { get, qs } from './lib/http.mjs';
import { ORGS, listAll, parseLink, slugsOf, assertInvalidParams } from './lib/api.mjs';

let srv, base, all, topics;
before(async () => {
  srv = await startServer();
  base = srv.base;
  all = await listAll(base);
  topics = (await get(base + '/api/v1/topics')).json.items;
});
after(() => srv?.stop());

async function search(params) {
  const r = await get(base + ORGS + qs({ per_page: 100, ...params }));
  assert.equal(r.status, 200, r.text.slice(0, 300));
  return r;
}
const found = async (params) => (await search(params)).json;
const topic = (slug) => topics.find((t) => t.slug === slug);

// Every word the directory writes anywhere the index reads it (names,
// summaries, descriptions, resources, contacts, search terms, topics and
// their guidance), lower-cased.
async function writtenWords() {
  const text = [];
  for (const o of all.items) {
    const d = (await get(`${base}${ORGS}/${o.slug}`)).json;
    text.push(d.name, d.summary, d.description, ...d.search_terms, ...d.contacts.map((c) => c.label),
      ...d.resources.flatMap((r) => [r.name, r.summary]));
  }
  for (const t of topics) {
    const d = (await get(`${base}/api/v1/topics/${t.slug}`)).json;
    text.push(d.label, d.description, ...d.search_terms, d.guidance_markdown);
  }
  return new Set(text.join(' ').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
}

describe('corrections', () => {
  it('says what it corrected, keyed by q exactly as sent, and finds what the corrected words find', async () => {
    const r = await found({ q: 'parental contols' });
    assert.deepEqual(r.corrected, { 'parental contols': 'parental controls' });
    const right = await found({ q: 'parental controls' });
    assert.deepEqual(slugsOf(r.items), slugsOf(right.items));
    assert.equal(right.corrected, undefined, 'nothing to correct');
    // the member's name is q as sent, capitals, stop words and all
    const sent = 'My Parental Contols';
    const mixed = await found({ q: sent });
    assert.deepEqual(Object.keys(mixed.corrected ?? {}), [sent], JSON.stringify(mixed.corrected));
    assert.match(mixed.corrected[sent], /\bcontrols\b/i);
  });

  it('says a correction in words people write, never the index\'s stems', async () => {
    // "emregency" is "emergency" (not "emerg"), "atrtacted" "attracted",
    // "baekwell" Bakewell.
    const written = await writtenWords();
    for (const q of ['emregency', 'atrtacted', 'baekwell', 'parental contols']) {
      const r = await found({ q });
      assert.ok(r.corrected && q in r.corrected, `q=${q} is corrected: ${JSON.stringify(r.corrected)}`);
      for (const w of r.corrected[q].toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
        assert.ok(written.has(w), `q=${q} is corrected to ${JSON.stringify(r.corrected[q])}: "${w}" is written nowhere`);
      }
    }
  });

  it('exact=true searches the words as typed: no correction, and an unknown word finds nothing', async () => {
    const corrected = await found({ q: 'childine' });
    assert.equal(corrected.items[0].slug, 'childline');
    assert.deepEqual(corrected.corrected, { childine: 'childline' });
    const typed = await found({ q: 'childine', exact: 'true' });
    assert.equal(typed.corrected, undefined);
    assert.equal(typed.total, 0, slugsOf(typed.items).join());
    // words it knows are found as without exact
    const known = await found({ q: 'childline online', exact: 'true' });
    assert.deepEqual(slugsOf(known.items), slugsOf((await found({ q: 'childline online' })).items));
    // exact=false is the default
    const no = await found({ q: 'childine', exact: 'false' });
    assert.deepEqual(no.corrected, corrected.corrected);
    assert.deepEqual(slugsOf(no.items), slugsOf(corrected.items));
  });

  it('exact takes only true or false: anything else is a 400 naming it (with every other bad parameter)', async () => {
    for (const v of ['yes', '1', 'TRUE', '', 'true,false']) {
      assertInvalidParams(await get(base + ORGS + qs({ q: 'x', exact: v })), ['exact'], 'query', `exact=${v}`);
    }
    assertInvalidParams(await get(base + ORGS + qs({ q: 'x', exact: 'no', page: '0' })), ['exact', 'page']);
  });

  it('the Link header keeps exact=true, and its pages are the exact search\'s', async () => {
    const q = 'childl';
    const r = await get(base + ORGS + qs({ q, exact: 'true', per_page: 2, page: 2 }));
    assert.equal(r.status, 200);
    assert.ok(r.json.total > 6, `premise: several pages (${r.json.total})`);
    const links = parseLink(r.headers.get('link'));
    for (const rel of ['first', 'prev', 'next', 'last']) {
      assert.ok(links[rel], `rel=${rel}`);
      const p = new URL(links[rel], base).searchParams;
      assert.equal(p.get('exact'), 'true', `rel=${rel}: ${links[rel]}`);
      assert.equal(p.get('q'), q, `rel=${rel}: ${links[rel]}`);
    }
    const next = await get(base + links.next);
    const page3 = await get(base + ORGS + qs({ q, exact: 'true', per_page: 2, page: 3 }));
    assert.deepEqual(slugsOf(next.json.items), slugsOf(page3.json.items));
  });
});

describe('topics meant and urgent help', () => {
  it('names the topic its words mean by label, with its API and guidance addresses', async () => {
    const r = await found({ q: 'grooming' });
    assert.ok(r.topics_meant.length <= 2);
    const t = r.topics_meant.find((x) => x.slug === 'grooming');
    assert.ok(t, JSON.stringify(r.topics_meant));
    assert.deepEqual(t, { slug: 'grooming', label: topic('grooming').label,
      url: '/api/v1/topics/grooming', guidance_url: '/topics/grooming' });
    assert.equal((await get(base + t.url)).status, 200);
    assert.equal((await fetch(base + t.guidance_url)).status, 200, 'the guidance page exists');
  });

  it('names the topic one of its search terms says ("sextortion": Child exploitation)', async () => {
    const ex = (await get(`${base}/api/v1/topics/exploitation`)).json;
    assert.ok(ex.search_terms.includes('sextortion'), 'premise: a search term of the topic');
    assert.doesNotMatch(`${ex.label} ${ex.slug}`, /sextortion/i, 'premise: not its label');
    const r = await found({ q: 'sextortion' });
    const t = r.topics_meant.find((x) => x.slug === 'exploitation');
    assert.ok(t, JSON.stringify(r.topics_meant));
    assert.equal(t.label, ex.label);
    assert.equal(t.url, '/api/v1/topics/exploitation');
    assert.equal(t.guidance_url, '/topics/exploitation');
    assert.ok(r.total >= 1);
  });

  it('names no topic when the words name none', async () => {
    assert.deepEqual((await found({ q: 'childline' })).topics_meant, []);
  });

  it('notices a cry for urgent help, and not an ordinary search', async () => {
    for (const q of ['help now', 'emergency', 'i am in danger', 'suicide', 'i want to hurt myself', 'self harm',
      'i want to die', 'someone is hurting me', 'i want to end my life']) {
      const r = await found({ q });
      assert.equal(r.urgent, true, q);
      assert.equal(r.help_url, '/api/v1/help', q);
    }
    for (const q of ['online safety lesson plans', 'parental controls', 'childline']) {
      const calm = await found({ q });
      assert.equal(calm.urgent, false, q);
      assert.equal(calm.help_url, undefined, q);
    }
  });

  it('adds nothing to a list without q; says topics_meant and urgent for q= too', async () => {
    const r = await found({});
    for (const k of ['corrected', 'topics_meant', 'urgent', 'help_url', 'suggestions']) assert.equal(r[k], undefined, k);
    const empty = await found({ q: '' });
    assert.deepEqual(empty.topics_meant, []);
    assert.equal(empty.urgent, false);
    assert.equal(empty.corrected, undefined);
    assert.equal(empty.suggestions, undefined, 'it lists everything');
    assert.equal(empty.total, all.total);
  });
});

describe('how the words are read', () => {
  it('answers a search of only stop words with every organisation, urgent-help ones first', async () => {
    const help = (await get(base + '/api/v1/help')).json.items.map((h) => h.organisation).filter(Boolean);
    for (const q of ['what do i do', 'my']) {
      const r = await found({ q });
      assert.equal(r.total, all.total, q);
      assert.deepEqual([...slugsOf(r.items)].sort(), [...slugsOf(all.items)].sort(), q);
      assert.equal(r.items[0].slug, help[0], `${q}: the first urgent-help organisation leads`);
      assert.equal(r.suggestions, undefined, q);
    }
  });

  it('reads text-speak ("txt" is "text", "msg" "message")', async () => {
    for (const [speak, word] of [['txt', 'text'], ['msg', 'message'], ['txt bullying', 'text bullying']]) {
      const a = await found({ q: speak, exact: 'true' });
      const b = await found({ q: word, exact: 'true' });
      assert.ok(b.total >= 1 && b.total < all.total, `premise: ${word} finds some organisations, not all`);
      assert.deepEqual(slugsOf(a.items), slugsOf(b.items), `${speak} = ${word}`);
    }
  });

  it('never lets one unknown word empty the list; only words that match nothing do', async () => {
    for (const q of ['childline', 'faithfull', 'sextortion']) {
      const a = await found({ q });
      const b = await found({ q: `${q} qqqxxzz` });
      assert.ok(a.total >= 1, q);
      assert.deepEqual(slugsOf(b.items), slugsOf(a.items), `${q} qqqxxzz`);
    }
    const none = await found({ q: 'qqqxxzz xqzvwk' });
    assert.equal(none.total, 0);
    assert.deepEqual(none.items, []);
  });

  it('puts organisations that match more of the words first, whatever one word alone would rank', async () => {
    // From the seed: "faithfull" alone ranks the Lucy Faithfull Foundation
    // (its name) above Stop it Now! (its description); "urges" (one of Stop
    // it Now!'s search terms) does not find the Foundation. Searching both,
    // Stop it Now! matches two words, the Foundation one.
    const lucy = 'lucy-faithfull-foundation';
    const stop = 'stop-it-now';
    const faithfull = slugsOf((await found({ q: 'faithfull' })).items);
    assert.equal(faithfull[0], lucy, `premise: ${faithfull}`);
    assert.ok(faithfull.includes(stop), `premise: ${faithfull}`);
    const urges = slugsOf((await found({ q: 'urges' })).items);
    assert.ok(urges.includes(stop) && !urges.includes(lucy), `premise: ${urges}`);
    const both = slugsOf((await found({ q: 'faithfull urges' })).items);
    assert.equal(both[0], stop, `two words matched come first: ${both}`);
    assert.ok(both.includes(lucy), `one word matched is still found (OR): ${both}`);
  });

  it('finds compounds joined and apart', async () => {
    assert.equal((await found({ q: 'child line' })).items[0].slug, 'childline');
    const cyber = await found({ q: 'cyber bullying' });
    assert.ok(cyber.items.slice(0, 3).some((o) => o.topics.includes('cyberbullying')), slugsOf(cyber.items).join());
    assert.ok(cyber.topics_meant.some((t) => t.slug === 'cyberbullying'), JSON.stringify(cyber.topics_meant));
  });
});

describe('never a dead end', () => {
  it('with nothing found and no topic meant: every top-level topic and urgent help, no search_url without filters', async () => {
    const none = await found({ q: 'xqzvwk' });
    assert.equal(none.total, 0);
    assert.equal(none.suggestions.help_url, '/api/v1/help');
    assert.equal(none.suggestions.search_url, null);
    assert.deepEqual(none.suggestions.topics.map((t) => t.slug),
      topics.filter((t) => t.parent === null).map((t) => t.slug), 'every top-level topic, in display order');
    for (const t of none.suggestions.topics) {
      assert.deepEqual(t, { slug: t.slug, label: topic(t.slug).label, url: `/api/v1/topics/${t.slug}`,
        guidance_url: `/topics/${t.slug}` });
    }
    assert.equal((await found({ q: 'childline' })).suggestions, undefined, 'no suggestions when something was found');
  });

  it('with filters that emptied it: the search without them, and the topics meant', async () => {
    // "bsl" finds the National Deaf Children's Society, which is not filed
    // for worried adults: that filter empties the answer.
    const filtered = await found({ q: 'bsl', audience: 'worried-adults' });
    assert.equal(filtered.total, 0);
    assert.equal(filtered.suggestions.search_url, '/api/v1/organisations?q=bsl');
    // the topics meant, when there are some
    const sx = await found({ q: 'sextortion', audience: 'worried-adults' });
    assert.equal(sx.total, 0, 'premise: nothing for worried adults');
    assert.ok(sx.topics_meant.length >= 1);
    assert.deepEqual(sx.suggestions.topics, sx.topics_meant);
    // q is percent-encoded in search_url, and following it finds something
    const q = 'sextortion & blackmail? 100%';
    const odd = await found({ q, topic: 'wellbeing' });
    assert.equal(odd.total, 0, 'premise: nothing under wellbeing');
    const url = odd.suggestions.search_url;
    assert.ok(url, JSON.stringify(odd.suggestions));
    const u = new URL(url, base);
    assert.equal(u.pathname, ORGS);
    assert.deepEqual([...u.searchParams.keys()], ['q'], url);
    assert.equal(u.searchParams.get('q'), q, url);
    assert.ok((await get(base + url)).json.total >= 1, 'the search without filters finds something');
  });

  it('with filters that are not what emptied it: no search_url', async () => {
    const r = await found({ q: 'xqzvwk', audience: 'parents', topic: 'cyberbullying' });
    assert.equal(r.total, 0);
    assert.equal(r.suggestions.search_url, null);
  });
});
