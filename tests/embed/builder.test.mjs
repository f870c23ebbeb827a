// 6. The builder /embed: without JavaScript, submitting its form shows the
// code for the choices; with JavaScript, the code and the preview follow
// every change at once, without leaving the page.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, assertNothingBlocked, watch, until } from '../browser/lib/browser.mjs';
import { startSignpost, listedNames, apiNames, unescapeHtml } from './lib/harness.mjs';

let sp, browser;

before(async () => {
  sp = await startSignpost();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sp?.stop();
});

const codeText = (page, kind) => page.locator(`code[data-code="${kind}"]`).textContent();

// The data- attributes of the <script> in a script code, as an object.
function scriptAttrs(code) {
  const m = /<script async src="([^"]*)"([^>]*)><\/script>/.exec(code);
  assert.ok(m, `a script tag in ${JSON.stringify(code)}`);
  const attrs = { src: m[1] };
  for (const a of m[2].matchAll(/ data-([a-z]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
  return attrs;
}

function iframeSrc(code) {
  const m = /^<iframe src="([^"]*)"/.exec(code);
  assert.ok(m, `an iframe tag in ${JSON.stringify(code)}`);
  return new URL(m[1].replace(/&amp;/g, '&'));
}

const sorted = (u) => [...new URL(u, 'http://x').searchParams].sort().map(([k, v]) => `${k}=${v}`).join('&');

describe('builder without JavaScript', () => {
  it('submitting audience=parents and limit=3 shows matching script, iframe and link code', async () => {
    const context = await newContext(browser, [sp.base], { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${sp.base}/embed`);
      await page.check('#b-aud-parents');
      await page.fill('#b-limit', '3');
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/embed' && u.search.length > 0),
        page.click('.builder-form button[type=submit]'),
      ]);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('audience'), 'parents');
      assert.equal(url.searchParams.get('limit'), '3');

      const script = await codeText(page, 'script');
      assert.ok(script.includes('data-audience="parents"'), script);
      assert.ok(script.includes('data-limit="3"'), script);
      assert.ok(script.includes(`src="${sp.base}/embed.js"`), script);
      const ns = /<noscript><a href="([^"]+)">[^<]+<\/a><\/noscript>/.exec(script);
      assert.ok(ns, `a noscript link in the script code: ${script}`);
      assert.equal(ns[1].replace(/&amp;/g, '&'), `${sp.base}/organisations?audience=parents`);

      const src = iframeSrc(await codeText(page, 'iframe'));
      assert.equal(src.origin + src.pathname, `${sp.base}/embed/organisations`);
      assert.equal(sorted(src), 'audience=parents&limit=3');
      assert.equal(await codeText(page, 'link'), `${sp.base}/organisations?audience=parents`);

      // The form keeps the choices; the preview shows the same listing.
      assert.ok(await page.isChecked('#b-aud-parents'));
      assert.equal(await page.inputValue('#b-limit'), '3');
      const previewSrc = await page.getAttribute('[data-preview]', 'src');
      assert.equal(sorted(previewSrc), 'audience=parents&limit=3');
      const preview = await (await page.$('[data-preview]')).contentFrame();
      await preview.waitForSelector('.sp-embed');
      assert.deepEqual(await listedNames(preview), await apiNames(sp.base, { audience: 'parents', per_page: 3 }));
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('the code shown is the code that works: the iframe code\'s src serves that listing', async () => {
    const res = await fetch(`${sp.base}/embed?audience=parents&topic=cyberbullying&q=helpline&limit=3`);
    assert.equal(res.status, 200);
    const html = await res.text();
    const m = /<code data-code="iframe">([^<]*)<\/code>/.exec(html);
    assert.ok(m);
    // Displayed text: unescape once for the display, the code itself is HTML.
    const code = unescapeHtml(m[1]);
    const src = iframeSrc(code);
    assert.equal(sorted(src), 'audience=parents&limit=3&q=helpline&topic=cyberbullying');
    const listing = await fetch(src);
    assert.equal(listing.status, 200);
  });
});

// BUG (server): builder.js holds the string '</script>' and is inlined in a
// <script> element, so the HTML parser ends the element there: the browser
// hashes a truncated script (not the one the CSP hash allows), nothing of the
// builder runs, and the rest of the script shows up as page text and a stray
// <iframe>. Until that is fixed these two are todo.
describe('builder with JavaScript', () => {
  it('the page runs its scripts without error (no CSP violation, no stray markup)', async () => {
    const context = await newContext(browser, [sp.base]);
    try {
      const page = await context.newPage();
      const log = watch(page);
      await page.goto(`${sp.base}/embed`);
      await page.waitForLoadState('load');
      assert.deepEqual(log.errors, [], 'page errors');
      assert.deepEqual(log.console, [], 'console errors');
      assert.equal(await page.locator('iframe').count(), 1, 'one iframe: the preview');
      const text = await page.locator('body').innerText();
      assert.ok(!/textContent|addEventListener/.test(text), 'no script source shown as page text');
    } finally {
      await context.close();
    }
  });

  it('ticking a topic updates the script code and the preview without navigating', async () => {
    const context = await newContext(browser, [sp.base]);
    try {
      const page = await context.newPage();
      await page.goto(`${sp.base}/embed?audience=parents`);
      await page.evaluate(() => { window.__stay = 'same document'; });
      const before = await codeText(page, 'script');
      assert.ok(!before.includes('data-topic'), before);
      let navigations = 0;
      page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });

      await page.check('#b-topic-cyberbullying');
      const script = await until(async () => {
        const t = await codeText(page, 'script');
        return t.includes('data-topic="cyberbullying"') ? t : false;
      }, { timeout: 3000, message: 'the script code to name the topic' });
      const attrs = scriptAttrs(script);
      assert.equal(attrs.audience, 'parents');
      assert.equal(attrs.topic, 'cyberbullying');
      assert.equal(attrs.limit, '5');
      const previewSrc = await until(async () => {
        const s = await page.getAttribute('[data-preview]', 'src');
        return s && s.includes('topic=cyberbullying') ? s : false;
      }, { timeout: 3000, message: 'the preview src to name the topic' });
      assert.equal(sorted(previewSrc), 'audience=parents&limit=5&topic=cyberbullying');
      assert.equal(sorted(iframeSrc(await codeText(page, 'iframe'))), 'audience=parents&limit=5&topic=cyberbullying');

      assert.equal(navigations, 0, 'the page did not navigate');
      assert.equal(await page.evaluate(() => window.__stay), 'same document');
      assert.equal(new URL(page.url()).search, '?audience=parents');

      // The preview shows the new listing.
      const preview = await (await page.$('[data-preview]')).contentFrame();
      await until(async () => new URL(preview.url()).searchParams.get('topic') === 'cyberbullying',
        { message: 'the preview to load the new listing' });
      await preview.waitForSelector('.sp-embed');
      assert.deepEqual(await listedNames(preview),
        await apiNames(sp.base, { audience: 'parents', topic: 'cyberbullying', per_page: 5 }));

      // Same choices, same code as the server writes (attribute order aside).
      const res = await fetch(`${sp.base}/embed?audience=parents&topic=cyberbullying&limit=5`);
      const html = await res.text();
      const serverCode = unescapeHtml(/<code data-code="script">([^<]*)<\/code>/.exec(html)[1]);
      assert.deepEqual(scriptAttrs(script), scriptAttrs(serverCode));
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });
});
