// 8. Records with markup in them are shown as text in every embed form: the
// framed listing, the organisation embed, the HTML fragment (CORS *, for
// other sites to include) and oEmbed. The record goes into the database with
// the sqlite3 shell, as an editor's mistake or a hostile import would.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHost, launch, newContext, assertNothingBlocked, watch, frameOf, sqlite, sleep,
} from '../browser/lib/browser.mjs';
import { startSignpost, hostPage, unescapeHtml, listedNames } from './lib/harness.mjs';
import { rm } from 'node:fs/promises';

const NAME = '<script>alert(1)</script>';
const SUMMARY = '"><img src=x onerror=alert(1)>';
const PHONE = '0800 <b>1</b>';
const SLUG = 'hostile-test';

const sqlText = (s) => `'${s.replace(/'/g, "''")}'`;
const INSERT = `
PRAGMA foreign_keys=ON;
BEGIN;
INSERT INTO organisation (id, slug, name, summary, kind, coverage, source)
  VALUES ('6f1c2d3e-0000-4000-8000-00000000beef', '${SLUG}', ${sqlText(NAME)}, ${sqlText(SUMMARY)},
          'charity', 'UK', 'test');
INSERT INTO contact (org_pk, position, kind, label, value)
  SELECT pk, 0, 'phone', 'Helpline', ${sqlText(PHONE)} FROM organisation WHERE slug = '${SLUG}';
INSERT INTO org_audience (org_pk, audience_pk)
  SELECT o.pk, a.pk FROM organisation o, audience a WHERE o.slug = '${SLUG}' AND a.slug = 'parents';
COMMIT;
SELECT count(*) FROM org_audience oa JOIN organisation o ON o.pk = oa.org_pk WHERE o.slug = '${SLUG}';
`;

let sp, dir, host, browser;

before(async () => {
  // A database made by the server itself (migrated and seeded), then the record.
  const first = await startSignpost({ keepDb: true });
  dir = first.dir;
  await first.stop();
  const out = await sqlite(first.dbPath, INSERT);
  assert.equal(out.trim(), '1', 'the record is in, tagged parents');
  sp = await startSignpost({ dbPath: first.dbPath });
  host = await startHost((req, url) => {
    if (url.pathname === '/fragment') {
      return hostPage('Included listing', `<div id="slot"></div>
<script>
  fetch('${sp.base}/embed/organisations.html?audience=parents')
    .then(function (r) { return r.text(); })
    .then(function (t) { document.getElementById('slot').innerHTML = t; window.__done = true; },
          function (e) { window.__error = String(e); });
</script>`);
    }
    if (url.pathname === '/widget') {
      return hostPage('Widget', `<script async src="${sp.base}/embed.js" data-audience="parents" data-limit="50"></script>`);
    }
    return null;
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await host?.close();
  await sp?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// Tags in the markup that carry an event handler attribute.
const handlerTags = (html) => [...html.matchAll(/<[a-zA-Z][^<>]*>/g)].map((m) => m[0])
  .filter((t) => /\son[a-z]+\s*=/i.test(t));

function checkEscaped(html, label) {
  assert.ok(!html.includes('<script>alert'), `${label}: raw <script>alert`);
  assert.ok(!/<img/i.test(html), `${label}: raw <img`);
  assert.deepEqual(handlerTags(html), [], `${label}: tags with on…= handlers`);
  assert.ok(!html.includes('<b>1</b>'), `${label}: raw <b> from the phone number`);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${label}: the name, escaped`);
  // Every " onerror=" left is inside text: the escaped summary.
  for (const m of html.matchAll(/ onerror=/g)) {
    const before = html.slice(0, m.index);
    assert.ok(before.lastIndexOf('>') > before.lastIndexOf('<'), `${label}: " onerror=" inside a tag at ${m.index}`);
  }
}

describe('hostile record over HTTP', () => {
  it('the HTML fragment shows it as text, with CORS * and no page wrapper', async () => {
    const res = await fetch(`${sp.base}/embed/organisations.html?audience=parents`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('content-type'), /^text\/html/);
    const html = await res.text();
    assert.doesNotMatch(html, /<html|<head|<body|<!DOCTYPE/i, 'a fragment, not a page');
    assert.ok(html.includes(`/organisations/${SLUG}"`), 'the hostile record is listed');
    checkEscaped(html, 'fragment');
    assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'), 'the summary, escaped');
    // Shown with a no-break space, so that the number keeps to one line.
    assert.ok(html.includes('0800\u00a0&lt;b&gt;1&lt;/b&gt;'), 'the phone number, escaped');
  });

  it('the framed listing shows it as text', async () => {
    const res = await fetch(`${sp.base}/embed/organisations?audience=parents&limit=50`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(html.includes(`/organisations/${SLUG}"`));
    // The page's own two scripts (exit.js and frame.js) are the only ones.
    assert.equal(html.match(/<script/g).length, 2);
    checkEscaped(html, 'listing');
    const plain = await fetch(`${sp.base}/embed/organisations?audience=parents`);
    checkEscaped(await plain.text(), 'listing, default limit');
  });

  it('the organisation embed and its oEmbed answer show it as text', async () => {
    const res = await fetch(`${sp.base}/embed/organisations/${SLUG}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.equal(html.match(/<script/g).length, 2);
    checkEscaped(html, 'organisation');
    const o = await (await fetch(`${sp.base}/oembed?${new URLSearchParams({ url: `${sp.base}/organisations/${SLUG}`, format: 'json' })}`)).json();
    assert.equal(o.title, NAME, 'JSON title: the name as it is (JSON, not HTML)');
    assert.doesNotMatch(o.html, /<script|<img/i);
    assert.equal((o.html.match(/</g) || []).length, 2, 'only <iframe …> and </iframe>');
    assert.ok(unescapeHtml(/\stitle="([^"]*)"/.exec(o.html)[1]).startsWith(NAME));
  });
});

describe('hostile record in Chromium', () => {
  it('the listing opened directly runs nothing and shows the name as text', async () => {
    const context = await newContext(browser, [sp.base]);
    try {
      const page = await context.newPage();
      const log = watch(page);
      await page.goto(`${sp.base}/embed/organisations?audience=parents`);
      await page.waitForLoadState('load');
      await sleep(300);
      assert.deepEqual(log.dialogs, [], 'dialogs');
      assert.deepEqual(log.errors, [], 'page errors');
      assert.equal(await page.locator('img').count(), 0, 'no img element');
      assert.ok((await listedNames(page)).includes(NAME), 'the name shown as text');
      const summary = await page.locator('.sp-item', { hasText: 'alert(1)</script>' }).locator('.sp-summary').textContent();
      assert.equal(summary, SUMMARY);
      assert.ok((await page.locator('.sp-phone').allTextContents()).includes(`Call ${PHONE.replace(/ /g, '\u00a0')}`));
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('the organisation embed, the widget on another site and the included fragment open no dialog', async () => {
    const context = await newContext(browser, [sp.base, host.origin]);
    try {
      const page = await context.newPage();
      const log = watch(page);
      await page.goto(`${sp.base}/embed/organisations/${SLUG}`);
      assert.equal(await page.locator('h1').textContent(), `${NAME} (opens in a new tab)`);

      await page.goto(`${host.origin}/widget`);
      const { frame } = await frameOf(page, 'script[src$="/embed.js"] + iframe');
      await frame.waitForSelector('.sp-embed');
      assert.ok((await listedNames(frame)).includes(NAME));
      assert.equal(await frame.locator('img').count(), 0);

      await page.goto(`${host.origin}/fragment`);
      await page.waitForFunction(() => window.__done || window.__error);
      assert.equal(await page.evaluate(() => window.__error || null), null, 'the fragment fetch (CORS) works');
      assert.ok(await page.locator('#slot .signpost-item').count() > 1);
      assert.equal(await page.locator('#slot img').count(), 0, 'no img element from the fragment');
      assert.ok((await page.locator('#slot .signpost-item a').allTextContents()).includes(NAME));

      await sleep(300);
      assert.deepEqual(log.dialogs, [], 'dialogs');
      assert.deepEqual(log.errors, [], 'page errors');
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });
});
