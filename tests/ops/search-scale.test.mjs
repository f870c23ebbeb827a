// Search over 20,000 generated organisations (tests/bench/gen.sh): the
// paths the 19 real ones never reach. A word found in thousands of
// organisations is scored without bm25() in full (store/search.c,
// BM25_MAX); its name matches must still come first, paging must walk one
// order, and a server with --search-memo off must answer exactly the same.
//
//   cd tests && node --test ops/search-scale.test.mjs

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ORGS, bigDb, killAll, serve, tempDir } from './lib/ops.mjs';

let tmp, db, on, off;

before(async () => {
  tmp = await tempDir('signpost-ops-scale-');
  db = path.join(tmp.dir, 'big.db');
  await bigDb(db, 20000);
  on = await serve({ db, args: ['--access-log', 'off', '--cache-mb', '0'] });
  off = await serve({ db, args: ['--access-log', 'off', '--cache-mb', '0', '--search-memo', 'off'] });
});

after(async () => {
  if (on) await on.stop();
  if (off) await off.stop();
  killAll();
  if (tmp) await tmp.remove();
});

async function page(base, q, p, per = 100) {
  const r = await fetch(`${base}${ORGS}?q=${encodeURIComponent(q)}&per_page=${per}&page=${p}`);
  assert.equal(r.status, 200, `${q} page ${p}`);
  return r.json();
}

// The first n results (or all of them), page by page.
async function first(base, q, n) {
  const out = [];
  let total;
  for (let p = 1; out.length < n; p++) {
    const j = await page(base, q, p);
    total = j.total;
    out.push(...j.items);
    if (j.items.length < 100) break;
  }
  return { total, items: out.slice(0, n) };
}

const namedWith = (word) => (o) => new RegExp(`(^|[^a-z])${word}`, 'i').test(o.name);

describe('search at scale', () => {
  test('a word in thousands of organisations: every one found, names first, one order across pages', async () => {
    const { total, items } = await first(on.base, 'families', 1200);
    assert.ok(total > 2000, `premise: "families" is in more than 2,000 organisations (${total})`);
    const named = items.map(namedWith('famil'));
    const cut = named.indexOf(false);
    assert.ok(cut > 0, 'premise: some names say it');
    assert.ok(!named.slice(cut).includes(true), `every name match before the first other (first other at ${cut})`);
    assert.equal(new Set(items.map((o) => o.slug)).size, items.length, 'no organisation twice across pages');
    // per_page does not change the order
    const small = await page(on.base, 'families', 3, 7);
    assert.deepEqual(small.items.map((o) => o.slug), items.slice(14, 21).map((o) => o.slug));
  });

  test('a word in a few hundred: bm25() in full, names first', async () => {
    const { total, items } = await first(on.base, 'leeds', 400);
    assert.ok(total > 50 && total < 2000, `premise: "leeds" is in some hundreds (${total})`);
    const named = items.map(namedWith('leeds'));
    const cut = named.indexOf(false);
    assert.ok(cut > 0 && !named.slice(cut).includes(true), `names first (first other at ${cut})`);
  });

  test('with --search-memo off, the same answers', async () => {
    for (const q of ['families', 'families leeds', 'my child is being bullied', 'worried about sextortion in leeds']) {
      for (const p of [1, 3]) {
        const a = await page(on.base, q, p);
        const b = await page(off.base, q, p);
        assert.deepEqual(b.items.map((o) => o.slug), a.items.map((o) => o.slug), `${q} page ${p}`);
        assert.equal(b.total, a.total, `${q} total`);
        assert.deepEqual(b.facets, a.facets, `${q} facets`);
      }
    }
  });
});
