// 8. Privacy and the security headers of every HTML page: no cookies, no
// referrer, a strict Content-Security-Policy (hashes, no 'unsafe-inline'),
// nosniff, and no CSP violation or script error in the browser.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES, startSite, watch, sleep } from './lib/browser.mjs';

let site, srv, context;

before(async () => {
  site = await startSite();
  ({ srv, context } = site);
  // Records every securitypolicyviolation event (the page's CSP does not
  // apply to this init script, which the browser injects itself).
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} ${e.sample || ''}`);
    });
  });
});
after(() => site?.close());

function directives(csp) {
  const map = new Map();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

describe('headers of every HTML page', () => {
  for (const p of PAGES) {
    it(`${p.name} (${p.path})`, async () => {
      for (const encoding of ['identity', 'gzip']) {
        const res = await fetch(srv.base + p.path, { headers: { 'accept-encoding': encoding } });
        await res.arrayBuffer();
        const h = res.headers;
        const where = `${p.path} (${encoding})`;
        assert.equal(res.status, p.status, where);
        assert.match(h.get('content-type'), /^text\/html/, where);
        assert.equal(h.get('set-cookie'), null, `${where} sets a cookie`);
        assert.equal(h.get('referrer-policy'), 'no-referrer', where);
        assert.equal(h.get('x-content-type-options'), 'nosniff', where);
        const csp = h.get('content-security-policy');
        assert.ok(csp, `${where} has a Content-Security-Policy`);
        assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/, `${where}: ${csp}`);
        const d = directives(csp);
        assert.deepEqual(d.get('frame-ancestors'), ["'none'"], `${where}: ${csp}`);
        assert.deepEqual(d.get('object-src'), ["'none'"], `${where}: ${csp}`);
        assert.deepEqual(d.get('base-uri'), ["'none'"], `${where}: ${csp}`);
        assert.deepEqual(d.get('default-src'), ["'none'"], `${where}: ${csp}`);
        for (const name of ['script-src', 'style-src']) {
          const values = d.get(name) || [];
          assert.ok(values.length > 0 && values.every((v) => /^'sha256-[A-Za-z0-9+/]+={0,2}'$/.test(v)),
            `${where}: ${name} allows only hashes: ${csp}`);
        }
      }
    });
  }
});

describe('in the browser', () => {
  for (const p of PAGES) {
    it(`${p.name} (${p.path}): no cookie, no CSP violation, no script error`, async () => {
      const page = await context.newPage();
      const log = watch(page);
      try {
        const res = await page.goto(srv.base + p.path);
        assert.equal(res.status(), p.status);
        await sleep(100);
        assert.equal(await page.evaluate(() => document.cookie), '');
        assert.deepEqual(await context.cookies(), []);
        assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], `${p.path}: CSP violations`);
        const cspConsole = [...log.console, ...log.warnings].filter((m) => /Content Security Policy|Refused to/i.test(m));
        assert.deepEqual(cspConsole, [], `${p.path}: CSP messages in the console`);
        assert.deepEqual(log.errors, [], `${p.path}: page errors`);
        assert.deepEqual(log.console.filter((m) => !/status of (400|404)/.test(m)), [], `${p.path}: console errors`);
        // The inline style and script were allowed: the CSS applied and the
        // exit script is running (it hides the page on exit, so check the
        // style and the link instead of exiting).
        const bg = await page.evaluate(() => getComputedStyle(document.querySelector('a[data-exit]')).backgroundColor);
        assert.equal(bg, 'rgb(179, 38, 30)', `${p.path}: the site's CSS applies to the exit link`);
        // <meta name="referrer"> agrees with the header.
        assert.equal(await page.locator('meta[name="referrer"]').getAttribute('content'), 'no-referrer');
      } finally {
        await page.close();
      }
    });
  }

  it('the inline script runs under the CSP (Shift ×3 exits)', async () => {
    const page = await context.newPage();
    const log = watch(page);
    try {
      await page.goto(srv.base + '/about');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
      await page.waitForURL((u) => u.hostname === 'www.bbc.co.uk', { timeout: 5000 });
      assert.deepEqual(log.errors, []);
    } finally {
      await page.close();
    }
  });
});
