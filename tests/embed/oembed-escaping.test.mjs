// The oEmbed answer is JSON written by the one JSON writer (views/jsonw.c),
// like every other answer: an organisation's name holding "</script>",
// markup or U+2028 comes back escaped (\u003c, \u2028...) in "title", so
// the answer can be put inside a <script> or read by an old JavaScript
// parser as it is. The organisation is made through the write API.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSignpost } from './lib/harness.mjs';
import { call, createToken, newOrg } from '../curation/lib/curation.mjs';

const SLUG = 'oembed-escaping-test';
const NAME = 'Help </script><b>now</b> & \u2028line \u2029para';

let sp;

before(async () => {
  sp = await startSignpost();
  const token = await createToken(sp.dbPath, 'oembed-escaping', 'editor');
  const r = await call(sp.base, 'POST', '/api/v1/organisations', { token, json: newOrg(SLUG, { name: NAME }) });
  assert.equal(r.status, 201, r.text);
});
after(async () => {
  await sp?.stop();
});

describe('oEmbed escapes what it says as every other JSON answer does', () => {
  it('a name with </script>, markup and U+2028 is escaped in title, and reads back the same', async () => {
    const u = `${sp.base}/oembed?${new URLSearchParams({ url: `${sp.base}/organisations/${SLUG}`, format: 'json' })}`;
    const res = await fetch(u);
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    for (const [c, escaped] of [['<', '\\u003c'], ['>', '\\u003e'], ['&', '\\u0026'],
      ['\u2028', '\\u2028'], ['\u2029', '\\u2029']]) {
      assert.ok(!text.includes(c), `no raw ${JSON.stringify(c)} in ${text}`);
      assert.ok(text.includes(escaped), `${escaped} in ${text}`);
    }
    assert.ok(text.includes('"title":"Help \\u003c/script\\u003e\\u003cb\\u003enow\\u003c/b\\u003e'), text);
    const o = JSON.parse(text);
    assert.equal(o.title, NAME, 'the title reads back as the name');
    assert.match(o.html, /^<iframe\s[^<>]*><\/iframe>$/, o.html);
    assert.ok(o.html.includes('title="Help &lt;/script&gt;&lt;b&gt;now&lt;/b&gt; &amp;'), o.html);
    for (const k of ['width', 'height', 'cache_age']) assert.equal(typeof o[k], 'number', k);
  });
});
