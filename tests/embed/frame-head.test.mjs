// The embed frame pages' head (issue 13 item 15): a <link rel="icon"> to
// Signpost's own icon, which is served (so the browser need not ask for
// /favicon.ico, which is not), and a meta description, on the listing, the
// organisation embed and their error pages.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, assertNothingBlocked } from '../browser/lib/browser.mjs';
import { startSignpost } from './lib/harness.mjs';

let sp, browser, context;

before(async () => {
  sp = await startSignpost();
  browser = await launch();
  context = await newContext(browser, sp.base);
});
after(async () => {
  await context?.close();
  await browser?.close();
  await sp?.stop();
});

const FRAMES = [
  { path: '/embed/organisations?audience=parents&limit=5', status: 200 },
  { path: '/embed/organisations?q=zzqxjv', status: 200 },
  { path: '/embed/organisations/nspcc', status: 200 },
  { path: '/embed/organisations?audience=zzz', status: 400 },
  { path: '/embed/organisations/no-such-org', status: 404 },
];

describe('embed frames: icon and description', () => {
  for (const f of FRAMES) {
    it(`${f.path}: <link rel="icon"> that is served, and a meta description`, async () => {
      const page = await context.newPage();
      const asked = [];
      page.on('request', (req) => asked.push(new URL(req.url()).pathname));
      try {
        const res = await page.goto(sp.base + f.path);
        assert.equal(res.status(), f.status);
        const head = await page.evaluate(() => ({
          icons: [...document.querySelectorAll('head link[rel~="icon"]')].map((l) => ({ href: l.href, type: l.type })),
          descriptions: [...document.querySelectorAll('head meta[name="description"]')].map((m) => m.content),
        }));
        assert.equal(head.icons.length, 1, `${f.path}: one icon link: ${JSON.stringify(head.icons)}`);
        const icon = new URL(head.icons[0].href);
        assert.equal(icon.origin, sp.base, `${f.path}: the icon is Signpost's own`);
        assert.equal(head.icons[0].type, 'image/svg+xml');
        const got = await fetch(icon);
        assert.equal(got.status, 200, `${f.path}: ${icon} answers`);
        assert.match(got.headers.get('content-type'), /^image\/svg\+xml/);
        assert.match(await got.text(), /<svg[\s>]/);
        assert.equal(head.descriptions.length, 1, `${f.path}: one meta description`);
        assert.ok(head.descriptions[0].length >= 50 && head.descriptions[0].length <= 200,
          `${f.path}: a description of a sentence or two: ${JSON.stringify(head.descriptions[0])}`);
        assert.ok(!asked.includes('/favicon.ico'), `${f.path}: the browser asked for /favicon.ico`);
      } finally {
        await page.close();
      }
    });
  }

  it('the icon is allowed by the frames\' Content-Security-Policy (img-src \'self\')', async () => {
    const res = await fetch(sp.base + '/embed/organisations');
    assert.match(res.headers.get('content-security-policy'), /img-src 'self'/);
    assertNothingBlocked(context);
  });
});
