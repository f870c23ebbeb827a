// 7. oEmbed (https://oembed.com/, version 1.0): /oembed answers for this
// site's listing and organisation addresses with a "rich" response whose html
// is one iframe of an /embed/ page on this site, within maxwidth/maxheight;
// anything else is 404, a format other than json 501; listing and
// organisation pages point to their oEmbed answer with a discovery link.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSignpost, unescapeHtml } from './lib/harness.mjs';
import { startServer } from '../http/lib/server.mjs';

let sp;

before(async () => {
  sp = await startSignpost();
});
after(async () => {
  await sp?.stop();
});

function oembedUrl(url, extra = {}) {
  return `${sp.base}/oembed?${new URLSearchParams({ url, format: 'json', ...extra })}`;
}

async function getJson(u) {
  const res = await fetch(u);
  const text = await res.text();
  assert.equal(res.status, 200, `${u}: ${text}`);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  return JSON.parse(text);
}

// Checks the fields oEmbed 1.0 requires of a rich response, and our html.
function checkRich(o, label) {
  assert.equal(o.version, '1.0', `${label}: version`);
  assert.equal(o.type, 'rich', `${label}: type`);
  for (const k of ['html', 'provider_name', 'title']) {
    assert.equal(typeof o[k], 'string', `${label}: ${k} is a string`);
    assert.ok(o[k].length > 0, `${label}: ${k} is not empty`);
  }
  for (const k of ['width', 'height']) {
    assert.equal(typeof o[k], 'number', `${label}: ${k} is a number`);
    assert.ok(Number.isInteger(o[k]) && o[k] > 0, `${label}: ${k} is a positive whole number`);
  }
  if ('cache_age' in o) assert.equal(typeof o.cache_age, 'number');
  if ('provider_url' in o) assert.equal(o.provider_url, sp.base);
  // One iframe, nothing else.
  assert.match(o.html, /^<iframe\s[^<>]*><\/iframe>$/, `${label}: html is a single iframe: ${o.html}`);
  assert.equal(o.html.match(/<iframe/g).length, 1);
  assert.doesNotMatch(o.html, /<script/i);
  const src = new URL(unescapeHtml(/\ssrc="([^"]*)"/.exec(o.html)[1]));
  assert.equal(src.origin, sp.base, `${label}: iframe on this site`);
  assert.ok(src.pathname.startsWith('/embed/'), `${label}: iframe of an /embed/ page: ${src}`);
  assert.match(o.html, /\stitle="[^"]+"/, `${label}: the iframe has a title`);
  const w = /\swidth="(\d+)"/.exec(o.html);
  const h = /\sheight="(\d+)"/.exec(o.html);
  assert.equal(Number(w[1]), o.width, `${label}: iframe width attribute = width`);
  assert.equal(Number(h[1]), o.height, `${label}: iframe height attribute = height`);
  return src;
}

describe('oEmbed answers', () => {
  it('for a listing address: rich, with an iframe of the same listing', async () => {
    const o = await getJson(oembedUrl(`${sp.base}/organisations?audience=parents&topic=cyberbullying`));
    const src = checkRich(o, 'listing');
    assert.equal(src.pathname, '/embed/organisations');
    assert.equal(src.searchParams.get('audience'), 'parents');
    assert.equal(src.searchParams.get('topic'), 'cyberbullying');
    assert.equal(o.provider_name, 'Signpost');
    const framed = await fetch(src);
    assert.equal(framed.status, 200, 'the iframe src serves a page');
    assert.match(framed.headers.get('content-security-policy'), /frame-ancestors \*/);
  });

  it('for an organisation address: rich, with an iframe of that organisation', async () => {
    const o = await getJson(oembedUrl(`${sp.base}/organisations/nspcc`));
    const src = checkRich(o, 'organisation');
    assert.equal(src.pathname, '/embed/organisations/nspcc');
    assert.equal(o.title, 'NSPCC');
    assert.equal((await fetch(src)).status, 200);
  });

  it('honours maxwidth and maxheight', async () => {
    for (const page of [`${sp.base}/organisations?audience=parents`, `${sp.base}/organisations/nspcc`]) {
      const full = await getJson(oembedUrl(page));
      for (const [mw, mh] of [[320, 200], [1, 1], [599, 359], [10000, 10000]]) {
        const o = await getJson(oembedUrl(page, { maxwidth: mw, maxheight: mh }));
        checkRich(o, `${page} ${mw}x${mh}`);
        assert.ok(o.width <= mw, `${page}: width ${o.width} <= maxwidth ${mw}`);
        assert.ok(o.height <= mh, `${page}: height ${o.height} <= maxheight ${mh}`);
        assert.equal(o.width, Math.min(full.width, mw));
        assert.equal(o.height, Math.min(full.height, mh));
      }
      const onlyWidth = await getJson(oembedUrl(page, { maxwidth: 250 }));
      assert.equal(onlyWidth.width, 250);
      assert.equal(onlyWidth.height, full.height);
    }
  });

  it('the limit of a listing address is carried into the iframe', async () => {
    const o = await getJson(oembedUrl(`${sp.base}/organisations?audience=parents&limit=3`));
    const src = checkRich(o, 'listing with limit');
    assert.equal(src.searchParams.get('limit'), '3');
  });

  it('404 for foreign hosts, unknown organisations and other paths', async () => {
    const bad = [
      'https://evil.example/organisations?audience=parents',
      'https://evil.example/organisations/nspcc',
      `${sp.base.replace('http:', 'https:')}/organisations/nspcc`,
      `${sp.base}.evil.example/organisations/nspcc`,
      `${sp.base}@evil.example/organisations/nspcc`,
      `http://127.0.0.1:${sp.port + 1}/organisations/nspcc`,
      `${sp.base}//evil.example/organisations/nspcc`,
      `${sp.base}/organisations/no-such-organisation`,
      `${sp.base}/organisations/nspcc/extra`,
      `${sp.base}/organisations/../about`,
      `${sp.base}/about`,
      `${sp.base}/`,
      `${sp.base}/help`,
      `${sp.base}/embed`,
      `${sp.base}/api/v1/organisations`,
      `${sp.base}/organisations?audience=no-such-audience`,
      sp.base,
      '',
    ];
    for (const u of bad) {
      const res = await fetch(oembedUrl(u));
      const text = await res.text();
      assert.equal(res.status, 404, `url=${u}: ${res.status} ${text}`);
    }
    const none = await fetch(`${sp.base}/oembed?format=json`);
    await none.arrayBuffer();
    assert.equal(none.status, 404, 'no url at all');
  });

  it('501 for format=xml (and other formats)', async () => {
    for (const format of ['xml', 'XML', 'jsonp']) {
      const res = await fetch(`${sp.base}/oembed?${new URLSearchParams({ url: `${sp.base}/organisations/nspcc`, format })}`);
      await res.arrayBuffer();
      assert.equal(res.status, 501, `format=${JSON.stringify(format)}`);
    }
    // No format at all means json.
    const res = await fetch(`${sp.base}/oembed?${new URLSearchParams({ url: `${sp.base}/organisations/nspcc` })}`);
    await res.arrayBuffer();
    assert.equal(res.status, 200);
  });

  it('an organisation name is escaped in the html and given plainly in title', async () => {
    // The seed's NPCC name carries an apostrophe.
    const o = await getJson(oembedUrl(`${sp.base}/organisations/npcc`));
    assert.equal(o.title, "National Police Chiefs' Council (NPCC)");
    const title = /\stitle="([^"]*)"/.exec(o.html)[1];
    assert.doesNotMatch(title, /[<>"]/);
    assert.ok(unescapeHtml(title).startsWith(o.title), `${title} vs ${o.title}`);
  });
});

describe('oEmbed discovery', () => {
  for (const path of ['/organisations?audience=parents&topic=cyberbullying', '/organisations/nspcc']) {
    it(`${path} links to the same answer as the direct call`, async () => {
      const res = await fetch(`${sp.base}${path}`);
      assert.equal(res.status, 200);
      const html = await res.text();
      const links = [...html.matchAll(/<link\s[^>]*type="application\/json\+oembed"[^>]*>/g)].map((m) => m[0]);
      assert.equal(links.length, 1, `one oEmbed discovery link in ${path}`);
      assert.match(links[0], /\srel="alternate"/);
      const href = unescapeHtml(/\shref="([^"]*)"/.exec(links[0])[1]);
      const discovered = new URL(href, `${sp.base}${path}`);
      assert.equal(discovered.origin + discovered.pathname, `${sp.base}/oembed`);
      const viaLink = await getJson(discovered);
      const direct = await getJson(oembedUrl(`${sp.base}${path}`));
      assert.deepEqual(viaLink, direct);
    });
  }

  it('pages that cannot be embedded carry no discovery link', async () => {
    for (const path of ['/', '/about', '/embed']) {
      const html = await (await fetch(`${sp.base}${path}`)).text();
      assert.doesNotMatch(html, /application\/json\+oembed/, path);
    }
  });
});

describe('fixed bugs that must stay fixed', () => {
  it('the discovery link gives the full oEmbed endpoint address', {
  }, async () => {
    const html = await (await fetch(`${sp.base}/organisations/nspcc`)).text();
    const link = /<link\s[^>]*type="application\/json\+oembed"[^>]*>/.exec(html)[0];
    const href = unescapeHtml(/\shref="([^"]*)"/.exec(link)[1]);
    assert.ok(href.startsWith(`${sp.base}/oembed?`), `absolute href: ${href}`);
  });

  it('started with --port 0 and no --public-url, the links name the real port', {
  }, async () => {
    const srv = await startServer(); // serve --port 0 --bind 127.0.0.1
    try {
      const html = await (await fetch(`${srv.base}/embed/organisations?limit=1`)).text();
      const brand = /class="sp-brand"><a href="([^"]*)"/.exec(html)[1];
      assert.equal(brand, `${srv.base}/`);
      const res = await fetch(`${srv.base}/oembed?${new URLSearchParams({ url: `${srv.base}/organisations/nspcc` })}`);
      await res.arrayBuffer();
      assert.equal(res.status, 200, 'oEmbed knows its own addresses');
    } finally {
      await srv.stop();
    }
  });
});
