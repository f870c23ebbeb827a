// audience and topic filters, and the facets of GET /api/v1/organisations.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { get, qs } from './lib/http.mjs';
import { ORGS, listAll, slugsOf, assertInvalidParams, sameSet } from './lib/api.mjs';

let srv, base, all, audiences, topics;

before(async () => {
  srv = await startServer();
  base = srv.base;
  all = await listAll(base);
  audiences = (await get(base + '/api/v1/audiences')).json.items;
  topics = (await get(base + '/api/v1/topics')).json.items;
});
after(() => srv?.stop());

const slugSet = async (params) => slugsOf((await listAll(base, params)).items);
const total = async (params) => {
  const r = await get(base + ORGS + qs({ ...params, per_page: 1 }));
  assert.equal(r.status, 200, `${qs(params)}: ${r.text.slice(0, 300)}`);
  return r.json.total;
};
// A topic and the slugs of all its descendants.
function subtree(slug) {
  const out = [slug];
  for (let i = 0; i < out.length; i++) {
    for (const t of topics) if (t.parent === out[i]) out.push(t.slug);
  }
  return out;
}

describe('audience filter', () => {
  it('knows the audiences of the brief', () => {
    for (const s of ['children', 'young-people', 'parents', 'professionals']) {
      assert.ok(audiences.some((a) => a.slug === s), s);
    }
  });

  it('audience=parents gives exactly the organisations for parents', async () => {
    const res = await listAll(base, { audience: 'parents' });
    assert.ok(res.total >= 1 && res.total < all.total, `${res.total} of ${all.total}`);
    for (const o of res.items) assert.ok(o.audiences.includes('parents'), o.slug);
    const expected = all.items.filter((o) => o.audiences.includes('parents'));
    assert.deepEqual(slugsOf(res.items), slugsOf(expected), 'the same organisations, in name order');
  });

  it('audience=a,b is the same as audience=a&audience=b, and is an OR', async () => {
    const [a, b] = ['children', 'professionals'];
    const comma = await listAll(base, { audience: `${a},${b}` });
    const repeated = await listAll(base, { audience: [a, b] });
    assert.deepEqual(slugsOf(comma.items), slugsOf(repeated.items));
    assert.equal(comma.total, repeated.total);
    const onlyA = await slugSet({ audience: a });
    const onlyB = await slugSet({ audience: b });
    assert.ok(comma.total >= onlyA.length && comma.total >= onlyB.length);
    sameSet(slugsOf(comma.items), [...onlyA, ...onlyB], 'the union of each alone');
    assert.ok(comma.total > Math.min(onlyA.length, onlyB.length), 'the OR adds something');
    const mixed = await listAll(base, { audience: [`${a}`, `${b},parents`] });
    sameSet(slugsOf(mixed.items), [...onlyA, ...onlyB, ...(await slugSet({ audience: 'parents' }))], 'both forms at once');
  });

  it('ignores duplicate slugs', async () => {
    const plain = await slugSet({ audience: 'parents' });
    assert.deepEqual(await slugSet({ audience: 'parents,parents' }), plain);
    assert.deepEqual(await slugSet({ audience: ['parents', 'parents'] }), plain);
  });
});

describe('topic filter', () => {
  it('knows online-abuse and its sub-topics grooming and child-sexual-abuse-images', () => {
    const byslug = Object.fromEntries(topics.map((t) => [t.slug, t]));
    for (const s of ['online-abuse', 'grooming', 'child-sexual-abuse-images', 'cyberbullying']) assert.ok(byslug[s], s);
    assert.equal(byslug.grooming.parent, 'online-abuse');
    assert.equal(byslug['child-sexual-abuse-images'].parent, 'online-abuse');
  });

  it('topic=T gives the organisations carrying T or a sub-topic of T, for every topic', async () => {
    for (const t of topics) {
      const tree = subtree(t.slug);
      const expected = all.items.filter((o) => o.topics.some((x) => tree.includes(x)));
      assert.deepEqual(await slugSet({ topic: t.slug }), slugsOf(expected), `topic=${t.slug}`);
    }
  });

  it('a parent topic matches an organisation tagged only with a sub-topic', async () => {
    const viaChild = all.items.filter((o) =>
      !o.topics.includes('online-abuse') && o.topics.some((x) => ['grooming', 'child-sexual-abuse-images'].includes(x)));
    assert.ok(viaChild.length >= 1, 'the seed tags some organisation with a sub-topic of online-abuse only');
    const parent = await slugSet({ topic: 'online-abuse' });
    for (const o of viaChild) assert.ok(parent.includes(o.slug), o.slug);
    for (const child of ['grooming', 'child-sexual-abuse-images']) {
      for (const s of await slugSet({ topic: child })) assert.ok(parent.includes(s), `${child}: ${s}`);
    }
  });

  it('topic=a,b equals topic=a&topic=b (OR)', async () => {
    const comma = await slugSet({ topic: 'cyberbullying,grooming' });
    assert.deepEqual(await slugSet({ topic: ['cyberbullying', 'grooming'] }), comma);
    sameSet(comma, [...(await slugSet({ topic: 'cyberbullying' })), ...(await slugSet({ topic: 'grooming' }))]);
  });

  it('audience and topic together are an AND: every item carries both', async () => {
    let nonEmpty = 0;
    for (const a of audiences) {
      for (const t of ['cyberbullying', 'online-abuse']) {
        const both = await listAll(base, { audience: a.slug, topic: t });
        const tree = subtree(t);
        for (const o of both.items) {
          assert.ok(o.audiences.includes(a.slug), `${o.slug} has ${a.slug}`);
          assert.ok(o.topics.some((x) => tree.includes(x)), `${o.slug} has ${t}`);
        }
        const ta = await slugSet({ audience: a.slug });
        const tt = await slugSet({ topic: t });
        assert.deepEqual(slugsOf(both.items), ta.filter((s) => tt.includes(s)), `${a.slug} AND ${t}`);
        if (both.total > 0) nonEmpty++;
      }
    }
    assert.ok(nonEmpty >= 1);
  });
});

describe('unknown slugs', () => {
  it('an unknown audience is a 400 naming the valid values', async () => {
    const r = await get(base + ORGS + '?audience=nope');
    const p = assertInvalidParams(r, ['audience'], 'query', 'audience=nope');
    const e = p.errors[0];
    assert.ok(Array.isArray(e.valid), 'errors[0].valid');
    assert.ok(e.valid.includes('parents'));
    assert.deepEqual(e.valid, audiences.map((a) => a.slug), 'valid lists every audience in display order');
    for (const s of e.valid) assert.ok(e.reason.includes(s), `reason names ${s}: ${e.reason}`);
  });

  it('an unknown topic is a 400 naming the valid values', async () => {
    const p = assertInvalidParams(await get(base + ORGS + '?topic=nope'), ['topic'], 'query', 'topic=nope');
    assert.deepEqual(p.errors[0].valid, topics.map((t) => t.slug));
    assert.ok(p.errors[0].reason.includes('online-abuse'), p.errors[0].reason);
  });

  it('one unknown slug among known ones is still a 400', async () => {
    assertInvalidParams(await get(base + ORGS + '?audience=parents,nope'), ['audience'], 'query', 'parents,nope');
    assertInvalidParams(await get(base + ORGS + '?audience=parents&audience=nope'), ['audience'], 'query', 'repeated');
    assertInvalidParams(await get(base + ORGS + '?audience=Parents'), ['audience'], 'query', 'upper case');
  });

  it('an unknown audience and a bad page give one 400 listing both', async () => {
    const p = assertInvalidParams(await get(base + ORGS + '?audience=nope&page=0'), ['audience', 'page'], 'query', 'both');
    assert.ok(p.errors.find((e) => e.name === 'audience').valid.includes('parents'));
  });

  it('every bad parameter is listed, not only the first', async () => {
    const r = await get(base + ORGS + qs({ q: 'x'.repeat(201), audience: 'nope', topic: 'nope', page: '0', per_page: '0' }));
    assertInvalidParams(r, ['q', 'audience', 'topic', 'page', 'per_page'], 'query', 'five bad parameters');
  });
});

describe('facets', () => {
  const facetMap = (list) => Object.fromEntries(list.map((f) => [f.slug, f.count]));

  it('lists every audience and topic, in display order, with their labels', async () => {
    for (const params of [{}, { q: 'xylophoneqqq' }, { audience: 'parents' }, { topic: 'grooming' }]) {
      const r = await get(base + ORGS + qs(params));
      assert.deepEqual(r.json.facets.audience.map((f) => [f.slug, f.label]), audiences.map((a) => [a.slug, a.label]), qs(params));
      assert.deepEqual(r.json.facets.topic.map((f) => [f.slug, f.label]), topics.map((t) => [t.slug, t.label]), qs(params));
    }
  });

  it('without filters, counts equal the taxonomy counts and the filtered totals', async () => {
    const { facets } = (await get(base + ORGS)).json;
    assert.deepEqual(facetMap(facets.audience), Object.fromEntries(audiences.map((a) => [a.slug, a.count])));
    assert.deepEqual(facetMap(facets.topic), Object.fromEntries(topics.map((t) => [t.slug, t.count])));
    for (const a of audiences) assert.equal(facetMap(facets.audience)[a.slug], await total({ audience: a.slug }), a.slug);
  });

  it('the audience facet ignores the audience filter but applies topic and q', async () => {
    const cases = [{ topic: 'cyberbullying' }, { topic: 'online-abuse' }, { q: 'online' }, { q: 'online', topic: 'online-abuse' }];
    for (const c of cases) {
      const plain = (await get(base + ORGS + qs(c))).json.facets.audience;
      const withAudience = (await get(base + ORGS + qs({ ...c, audience: 'parents' }))).json.facets.audience;
      assert.deepEqual(withAudience, plain, `audience filter does not change the audience facet (${qs(c)})`);
      for (const f of plain) {
        assert.equal(f.count, await total({ ...c, audience: f.slug }), `audience facet ${f.slug} under ${qs(c)}`);
      }
    }
  });

  it('the topic facet ignores the topic filter but applies audience and q', async () => {
    const cases = [{ audience: 'parents' }, { audience: 'children,young-people' }, { q: 'report' }, { q: 'online', audience: 'professionals' }];
    for (const c of cases) {
      const plain = (await get(base + ORGS + qs(c))).json.facets.topic;
      const withTopic = (await get(base + ORGS + qs({ ...c, topic: 'cyberbullying' }))).json.facets.topic;
      assert.deepEqual(withTopic, plain, `topic filter does not change the topic facet (${qs(c)})`);
      for (const f of plain) {
        assert.equal(f.count, await total({ ...c, topic: f.slug }), `topic facet ${f.slug} under ${qs(c)}`);
      }
    }
  });

  it('some facet count actually changes under a filter', async () => {
    const plain = facetMap((await get(base + ORGS)).json.facets.audience);
    const filtered = facetMap((await get(base + ORGS + '?topic=grooming')).json.facets.audience);
    assert.notDeepEqual(filtered, plain);
  });
});
