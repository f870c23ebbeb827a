// The embeds read the same audience, topic and q parameters as the site
// (site/listing.c) and answer a mistake with a short page (issue 13, item
// 5): however many unknown values fit in the request target (8 KiB unless
// --max-target says otherwise), the framed listing, the HTML fragment and
// the builder answer no longer than for one unknown value, give or take a
// sentence, naming at most three of them and counting the rest.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSignpost } from './lib/harness.mjs';
import { fillTarget } from '../http/lib/api.mjs';

const TARGET_MAX = 8192; // the default --max-target
const count = (n) => n.toLocaleString('en-GB');

let sp;

before(async () => {
  sp = await startSignpost();
});
after(async () => {
  await sp?.stop();
});

const fill = (prefix, value, limit = TARGET_MAX) => fillTarget(prefix, value, limit);

const short = (i) => i.toString(36);
const angles = (i) => '%3C'.repeat(60) + short(i); // "<" is "&lt;" in HTML

async function fetchText(p) {
  const res = await fetch(sp.base + p);
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('an embed asked for thousands of unknown topics', () => {
  for (const route of ['/embed/organisations', '/embed/organisations.html', '/embed']) {
    it(`${route}: a 400 no longer than for one unknown topic, plus a sentence`, async () => {
      const one = await fetchText(`${route}?topic=nope`);
      assert.equal(one.status, 400);
      for (const value of [short, angles]) {
        const { path: p, n } = fill(`${route}?topic=`, value);
        const r = await fetchText(p);
        assert.equal(r.status, 400, `${route}: ${n} unknown topics`);
        assert.match(r.type, /^text\/html/);
        assert.ok(r.bytes.length <= one.bytes.length + 1024,
          `${route}: ${r.bytes.length} bytes for ${n} unknown topics, ${one.bytes.length} for one`);
        const text = r.bytes.toString('utf8');
        assert.ok(text.includes(`nor any of the ${count(n - 3)} others in the address.`), text.slice(0, 2000));
      }
    });
  }

  it('/oembed for such a listing: the usual short 404', async () => {
    const { path: p } = fill('/organisations?topic=', short, TARGET_MAX / 3 - 100);
    const u = `/oembed?format=json&url=${encodeURIComponent(sp.base + p)}`;
    assert.ok(u.length <= TARGET_MAX, `${u.length} bytes`);
    const r = await fetchText(u);
    assert.equal(r.status, 404);
    assert.ok(r.bytes.length < 200, `${r.bytes.length} bytes`);
  });
});
