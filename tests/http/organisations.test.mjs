// GET /api/v1/organisations (listing, paging, Link) and
// GET /api/v1/organisations/{slug} (the full record).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { get, qs } from './lib/http.mjs';
import { ORGS, listAll, slugsOf, idsOf, parseLink, assertProblem, nocase } from './lib/api.mjs';

let srv, base, all;

before(async () => {
  srv = await startServer();
  base = srv.base;
  all = await listAll(base);
});
after(() => srv?.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUMMARY_FIELDS = ['id', 'slug', 'name', 'summary', 'kind', 'coverage', 'website',
  'audiences', 'topics', 'last_reviewed', 'url'];

// Checks one Link entry: an absolute path to the list, with page and per_page
// as given and every other parameter of `params` kept.
function assertLinkTarget(uri, page, perPage, params, what) {
  assert.ok(uri.startsWith(`${ORGS}?`), `${what}: an absolute path to the list: ${uri}`);
  const u = new URL(uri, 'http://x');
  assert.equal(u.pathname, ORGS, what);
  assert.deepEqual(u.searchParams.getAll('page'), [String(page)], `${what}: page in ${uri}`);
  assert.deepEqual(u.searchParams.getAll('per_page'), [String(perPage)], `${what}: per_page in ${uri}`);
  for (const [key, value] of Object.entries(params)) {
    if (key === 'page' || key === 'per_page') continue;
    if (key === 'audience' || key === 'topic') {
      const want = [].concat(value).flatMap((v) => v.split(',')).sort();
      const got = u.searchParams.getAll(key).flatMap((v) => v.split(',')).filter(Boolean).sort();
      assert.deepEqual(got, want, `${what}: ${key} kept in ${uri}`);
    } else {
      assert.deepEqual(u.searchParams.getAll(key), [].concat(value), `${what}: ${key} kept in ${uri}`);
    }
  }
}

describe('listing', () => {
  it('has enough organisations in the seed for the paging tests', () => {
    assert.ok(all.total >= 3, `total ${all.total}`);
  });

  it('defaults to page 1 of 20, ordered by name case-insensitively', async () => {
    const r = await get(base + ORGS);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(r.json.page, 1);
    assert.equal(r.json.per_page, 20);
    assert.equal(r.json.total, all.total);
    assert.equal(r.json.items.length, Math.min(20, all.total));
    assert.deepEqual(slugsOf(r.json.items), slugsOf(all.items).slice(0, 20));
    const names = all.items.map((o) => nocase(o.name));
    const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(names, sorted, 'ordered by name, case-insensitive');
  });

  it('gives every organisation a unique uuid and slug and its own url', () => {
    const ids = idsOf(all.items);
    const slugs = slugsOf(all.items);
    assert.equal(new Set(ids).size, ids.length, 'ids unique');
    assert.equal(new Set(slugs).size, slugs.length, 'slugs unique');
    for (const o of all.items) {
      assert.match(o.id, UUID);
      assert.equal(o.url, `${ORGS}/${o.slug}`);
      assert.deepEqual(Object.keys(o).sort(), [...SUMMARY_FIELDS].sort(), `summary fields of ${o.slug}`);
    }
  });

  it("lists each organisation's audiences and topics in the taxonomy's display order", async () => {
    const aOrder = slugsOf((await get(base + '/api/v1/audiences')).json.items);
    const tOrder = slugsOf((await get(base + '/api/v1/topics')).json.items);
    for (const o of all.items) {
      const ai = o.audiences.map((s) => aOrder.indexOf(s));
      const ti = o.topics.map((s) => tOrder.indexOf(s));
      assert.ok(!ai.includes(-1) && !ti.includes(-1), `${o.slug}: known slugs`);
      assert.deepEqual(ai, [...ai].sort((x, y) => x - y), `${o.slug} audiences in order`);
      assert.deepEqual(ti, [...ti].sort((x, y) => x - y), `${o.slug} topics in order`);
      assert.equal(new Set(o.topics).size, o.topics.length);
    }
  });

  it('honours per_page at its bounds (1 and 100)', async () => {
    const one = await get(base + ORGS + '?per_page=1');
    assert.equal(one.status, 200);
    assert.equal(one.json.per_page, 1);
    assert.deepEqual(slugsOf(one.json.items), [all.items[0].slug]);
    const second = await get(base + ORGS + '?per_page=1&page=2');
    assert.deepEqual(slugsOf(second.json.items), [all.items[1].slug]);
    const hundred = await get(base + ORGS + '?per_page=100');
    assert.equal(hundred.status, 200);
    assert.equal(hundred.json.per_page, 100);
    assert.equal(hundred.json.items.length, Math.min(100, all.total));
  });

  it('answers a page past the last one with 200 and no items', async () => {
    const perPage = 2;
    const last = Math.max(1, Math.ceil(all.total / perPage));
    const r = await get(base + ORGS + qs({ page: last + 1, per_page: perPage }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items, []);
    assert.equal(r.json.total, all.total);
    assert.equal(r.json.page, last + 1);
    assert.equal(r.json.per_page, perPage);
    const far = await get(base + ORGS + '?page=100000');
    assert.equal(far.status, 200);
    assert.deepEqual(far.json.items, []);
    assert.equal(far.json.page, 100000);
    assert.equal(far.json.total, all.total);
  });

  it('walks every page exactly once: the union of ids is total, no duplicates', async () => {
    for (const perPage of [1, 2, 3, Math.max(1, Math.floor(all.total / 3))]) {
      const seen = [];
      const last = Math.ceil(all.total / perPage);
      for (let page = 1; page <= last; page++) {
        const r = await get(base + ORGS + qs({ page, per_page: perPage }));
        assert.equal(r.status, 200);
        assert.equal(r.json.total, all.total, `total on page ${page}`);
        assert.equal(r.json.items.length, page < last ? perPage : all.total - perPage * (last - 1),
          `items on page ${page} of ${last} at ${perPage}`);
        seen.push(...idsOf(r.json.items));
      }
      assert.equal(seen.length, all.total, `per_page=${perPage}: ids seen`);
      assert.equal(new Set(seen).size, all.total, `per_page=${perPage}: no duplicates`);
      assert.deepEqual(seen, idsOf(all.items), `per_page=${perPage}: same order as one big page`);
    }
  });
});

describe('Link header', () => {
  const perPage = () => Math.max(1, Math.floor(all.total / 3));
  const lastPage = () => Math.ceil(all.total / perPage());

  it('has first, next and last (no prev) on the first page', async () => {
    const k = perPage();
    const r = await get(base + ORGS + qs({ per_page: k }));
    const links = parseLink(r.headers.get('link'));
    assert.deepEqual(Object.keys(links).sort(), ['first', 'last', 'next']);
    assertLinkTarget(links.first, 1, k, {}, 'first');
    assertLinkTarget(links.next, 2, k, {}, 'next');
    assertLinkTarget(links.last, lastPage(), k, {}, 'last');
  });

  it('has first, prev, next and last on a middle page', async () => {
    const k = perPage();
    assert.ok(lastPage() >= 3, 'at least three pages');
    const r = await get(base + ORGS + qs({ page: 2, per_page: k }));
    const links = parseLink(r.headers.get('link'));
    assert.deepEqual(Object.keys(links).sort(), ['first', 'last', 'next', 'prev']);
    assertLinkTarget(links.first, 1, k, {}, 'first');
    assertLinkTarget(links.prev, 1, k, {}, 'prev');
    assertLinkTarget(links.next, 3, k, {}, 'next');
    assertLinkTarget(links.last, lastPage(), k, {}, 'last');
  });

  it('has first, prev and last (no next) on the last page', async () => {
    const k = perPage();
    const last = lastPage();
    const r = await get(base + ORGS + qs({ page: last, per_page: k }));
    const links = parseLink(r.headers.get('link'));
    assert.deepEqual(Object.keys(links).sort(), ['first', 'last', 'prev']);
    assertLinkTarget(links.first, 1, k, {}, 'first');
    assertLinkTarget(links.prev, last - 1, k, {}, 'prev');
    assertLinkTarget(links.last, last, k, {}, 'last');
  });

  it('has only first and last when everything fits on one page', async () => {
    const r = await get(base + ORGS + '?per_page=100');
    const links = parseLink(r.headers.get('link'));
    assert.deepEqual(Object.keys(links).sort(), ['first', 'last']);
    assertLinkTarget(links.first, 1, 100, {}, 'first');
    assertLinkTarget(links.last, 1, 100, {}, 'last');
  });

  it('keeps the other parameters, and following rel="next" walks the same pages', async () => {
    const audiences = (await get(base + '/api/v1/audiences')).json.items;
    const biggest = [...audiences].sort((a, b) => b.count - a.count)[0];
    const other = audiences.find((a) => a.slug !== biggest.slug);
    const filtered = await listAll(base, { audience: `${biggest.slug},${other.slug}` });
    assert.ok(filtered.total >= 3, `${biggest.slug}/${other.slug}: ${filtered.total}`);
    const k = Math.max(1, Math.floor(filtered.total / 3));
    const params = { audience: `${biggest.slug},${other.slug}` };
    const seen = [];
    let next = ORGS + qs({ ...params, per_page: k });
    let page = 1;
    const last = Math.ceil(filtered.total / k);
    while (next) {
      const r = await get(base + next);
      assert.equal(r.status, 200, next);
      assert.equal(r.json.page, page);
      seen.push(...slugsOf(r.json.items));
      const links = parseLink(r.headers.get('link'));
      assertLinkTarget(links.first, 1, k, params, `first on page ${page}`);
      assertLinkTarget(links.last, last, k, params, `last on page ${page}`);
      if (page > 1) assertLinkTarget(links.prev, page - 1, k, params, `prev on page ${page}`);
      else assert.equal(links.prev, undefined, 'no prev on page 1');
      if (links.next) assertLinkTarget(links.next, page + 1, k, params, `next on page ${page}`);
      next = links.next;
      page++;
      assert.ok(page <= last + 1, 'the walk ends');
    }
    assert.equal(page - 1, last, 'as many pages as rel="last" says');
    assert.deepEqual(seen, slugsOf(filtered.items));
  });

  it('keeps q in the links, encoded so that it decodes back', async () => {
    const q = 'child & safe=yes';
    const r = await get(base + ORGS + qs({ q, per_page: 1 }));
    assert.equal(r.status, 200);
    const links = parseLink(r.headers.get('link'));
    assertLinkTarget(links.first, 1, 1, { q }, 'first');
    assertLinkTarget(links.last, Math.max(1, r.json.total), 1, { q }, 'last');
  });
});

describe('one organisation', () => {
  it('has the summary fields plus description, source, updated_at, contacts and resources', async () => {
    for (const summary of all.items) {
      const r = await get(base + summary.url);
      assert.equal(r.status, 200, summary.url);
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      const o = r.json;
      for (const f of SUMMARY_FIELDS) assert.deepEqual(o[f], summary[f], `${summary.slug}.${f}`);
      assert.deepEqual(Object.keys(o).sort(),
        [...SUMMARY_FIELDS, 'description', 'source', 'updated_at', 'contacts', 'resources',
          'search_terms'].sort());
      assert.equal(typeof o.description, 'string');
      assert.ok(o.source.length > 0, `${o.slug} names its source`);
      assert.match(o.updated_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      if (o.last_reviewed !== null) assert.match(o.last_reviewed, /^\d{4}-\d{2}-\d{2}$/);
      for (const c of o.contacts) {
        const where = `${o.slug} contact ${c.kind} ${c.value}`;
        switch (c.kind) {
          case 'phone': {
            const digits = c.value.trim().replace(/(?!^\+)[^0-9]/g, '');
            assert.equal(c.href, `tel:${digits}`, where);
            assert.match(c.href, /^tel:\+?[0-9]+$/, where);
            break;
          }
          case 'text':
            assert.match(c.href, /^sms:\+?[0-9]+$/, where);
            break;
          case 'email':
            assert.equal(c.href, `mailto:${c.value}`, where);
            break;
          default:
            assert.equal(c.href, c.value, where);
        }
      }
      for (const res of o.resources) {
        assert.match(res.id, UUID);
        if (res.age_min !== null && res.age_max !== null) assert.ok(res.age_min <= res.age_max, res.slug);
      }
    }
  });

  it('shows Childline\'s free helpline 0800 1111 as a tel: link', async () => {
    const childline = all.items.find((o) => o.name === 'Childline');
    assert.ok(childline, 'Childline is in the directory');
    const o = (await get(base + childline.url)).json;
    const phone = o.contacts.find((c) => c.kind === 'phone' && c.value === '0800 1111');
    assert.ok(phone, JSON.stringify(o.contacts));
    assert.equal(phone.href, 'tel:08001111');
  });

  it('lists the resources an organisation offers (Childnet\'s Crossing the Line, ages 11 to 14)', async () => {
    const childnet = all.items.find((o) => /^Childnet/.test(o.name));
    assert.ok(childnet, 'Childnet is in the directory');
    const o = (await get(base + childnet.url)).json;
    const ctl = o.resources.find((x) => /Crossing the Line/i.test(x.name));
    assert.ok(ctl, JSON.stringify(o.resources.map((x) => x.name)));
    assert.equal(ctl.age_min, 11);
    assert.equal(ctl.age_max, 14);
  });

  it('answers an unknown slug with a 404 problem', async () => {
    for (const slug of ['nope', 'nspcc-x', 'a', '0']) {
      const r = await get(`${base}${ORGS}/${slug}`);
      const p = assertProblem(r, 404, slug);
      assert.equal(p.type, 'about:blank');
      assert.equal(p.title, 'Not Found');
      assert.equal(r.headers.get('cache-control'), 'no-cache');
    }
  });

  it('does not match slugs case-insensitively or with extra segments', async () => {
    const slug = all.items[0].slug;
    assertProblem(await get(`${base}${ORGS}/${slug.toUpperCase()}`), 404, 'upper-case slug');
    assertProblem(await get(`${base}${ORGS}/${slug}/extra`), 404, 'extra segment');
  });
});
