// --search-memo off (make bench's cold rows) changes the cost of a search,
// never its answer: the same searches, with memos on and off, give the same
// items, totals, corrections and facets, the second time as the first; and
// a value other than on or off is a usage error.
//
//   cd tests && node --test ops/search-memo.test.mjs

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ORGS, cli, cliOk, killAll, serve, tempDir } from './lib/ops.mjs';

let tmp, db;

before(async () => {
  tmp = await tempDir('signpost-ops-memo-');
  db = path.join(tmp.dir, 'signpost.db');
  await cliOk(['migrate', '--db', db]);
});

after(async () => {
  killAll();
  if (tmp) await tmp.remove();
});

const SEARCHES = [
  'q=someone+wants+me+to+send+photos',
  'q=my+son+is+being+blakmailed',
  'q=cyber+bullying&audience=parents',
  'q=childline+phone&page=2&per_page=3',
  'q=what+do+i+do',
  'q=groomin&exact=true',
  'q=sextortion&topic=exploitation',
  'q=qqqzzzxxx',
];

async function answers(base) {
  const out = [];
  for (const s of SEARCHES) {
    const r = await fetch(`${base}${ORGS}?${s}`);
    assert.equal(r.status, 200, s);
    const j = await r.json();
    out.push({ s, items: j.items.map((o) => o.slug), total: j.total, corrected: j.corrected,
      meant: j.topics_meant, facets: j.facets });
  }
  return out;
}

describe('--search-memo', () => {
  let on, off;
  before(async () => {
    on = await serve({ db, args: ['--access-log', 'off', '--cache-mb', '0'] });
    off = await serve({ db, args: ['--access-log', 'off', '--cache-mb', '0', '--search-memo', 'off'] });
  });
  after(async () => {
    if (on) await on.stop();
    if (off) await off.stop();
  });

  test('off answers every search exactly as on does, twice over', async () => {
    const first = await answers(on.base);
    assert.ok(first.some((a) => a.total > 0) && first.some((a) => a.corrected), 'premise: searches that find and correct');
    assert.deepEqual(await answers(on.base), first, 'memo on, asked again (from the memos)');
    assert.deepEqual(await answers(off.base), first, 'memo off');
    assert.deepEqual(await answers(off.base), first, 'memo off, asked again');
  });

  test('takes only on or off', async () => {
    for (const bad of ['maybe', '', 'OFF', '0']) {
      const r = await cli(['serve', '--db', db, '--port', '0', '--search-memo', bad]);
      assert.equal(r.code, 2, `--search-memo ${JSON.stringify(bad)}: usage error`);
      assert.match(r.stderr, /--search-memo takes on or off/);
    }
  });
});
