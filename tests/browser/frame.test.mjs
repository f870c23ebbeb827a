// 5. Quick exit and frames. Our pages refuse to be framed (CSP
// frame-ancestors 'none' and X-Frame-Options: DENY), so a page on another
// origin that frames ours shows nothing of ours. Where a page is framed anyway
// (here: a test that strips those headers in the browser), the exit link
// navigates the top window, not just the frame.
//
// The framing page comes from a second loopback origin: startHost(), a tiny
// node:http server on another port of 127.0.0.1 (another port is another
// origin).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newContext, startServer, startHost, showsSignpost, watch, sleep, isExitUrl, EXIT_URL, STUB_TITLE,
} from './lib/browser.mjs';

let srv, browser, parent, parentBase;

before(async () => {
  srv = await startServer();
  parent = await startHost((req, url) => (url.pathname !== '/' ? null
    : `<!DOCTYPE html><html lang="en"><title>Parent</title>
<h1>A page on another site</h1>
<iframe id="framed" title="Signpost" src="${srv.base}/organisations" width="800" height="600"></iframe></html>`));
  parentBase = parent.origin;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await parent?.close();
  await srv?.stop();
});

function childFrame(page) {
  return page.frames().find((f) => f !== page.mainFrame());
}

describe('framing', () => {
  it('the exit link targets the top window on a top-level page', async () => {
    const context = await newContext(browser, srv.base);
    try {
      const page = await context.newPage();
      await page.goto(`${srv.base}/organisations`);
      const exit = page.locator('a[data-exit]');
      assert.equal(await exit.count(), 1);
      assert.equal(await exit.getAttribute('target'), '_top');
      assert.equal(await exit.getAttribute('href'), EXIT_URL);
    } finally {
      await context.close();
    }
  });

  it('a page on another origin cannot show ours in a frame', async () => {
    const context = await newContext(browser, [srv.base, parentBase]);
    try {
      const page = await context.newPage();
      const log = watch(page);
      let ourResponse = null;
      page.on('response', (r) => { if (r.url() === `${srv.base}/organisations`) ourResponse = r; });
      await page.goto(parentBase + '/');
      await page.waitForLoadState('load');
      await sleep(300);
      assert.ok(ourResponse, 'the browser asked our server for the framed page');
      assert.match(ourResponse.headers()['content-security-policy'] || '', /frame-ancestors 'none'/);
      assert.equal((ourResponse.headers()['x-frame-options'] || '').toUpperCase(), 'DENY');
      const frame = childFrame(page);
      assert.ok(frame, 'the iframe exists');
      assert.equal(await showsSignpost(frame), false, `the frame shows our page (frame URL ${frame.url()})`);
      const said = [...log.console, ...log.warnings];
      assert.ok(said.some((m) => /frame-ancestors|X-Frame-Options/i.test(m)),
        `Chromium says why it refused the frame; console: ${JSON.stringify(said)}`);
      assert.deepEqual(log.dialogs, []);
    } finally {
      await context.close();
    }
  });

  describe('when framed anyway (frame-blocking headers stripped in the test)', () => {
    let context, page, log;

    before(async () => {
      context = await newContext(browser, [srv.base, parentBase]);
      // Answers our page with the frame-blocking headers removed: no
      // X-Frame-Options, and a CSP without its frame-ancestors directive
      // (the rest of the policy, with the script's hash, is kept).
      await context.route((u) => u.href === `${srv.base}/organisations`, async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        delete headers['x-frame-options'];
        headers['content-security-policy'] = headers['content-security-policy']
          .split(';').map((d) => d.trim()).filter((d) => !/^frame-ancestors\b/i.test(d)).join('; ');
        await route.fulfill({ response, headers });
      });
    });
    after(() => context?.close());

    async function openFramed() {
      page = await context.newPage();
      log = watch(page);
      await page.goto(parentBase + '/');
      const frame = childFrame(page);
      assert.ok(frame, 'the iframe exists');
      await frame.waitForSelector('a[data-exit]');
      assert.equal(await showsSignpost(frame), true, 'with the headers stripped the frame shows our page');
      return frame;
    }

    it('clicking the exit link in the frame navigates the top window', async () => {
      const frame = await openFramed();
      try {
        await Promise.all([page.waitForURL(isExitUrl, { timeout: 5000 }), frame.locator('a[data-exit]').click()]);
        assert.equal(page.url(), EXIT_URL, 'the top page left for the exit page');
        assert.equal(await page.title(), STUB_TITLE);
        assert.equal(page.frames().length, 1, 'the framing page (and its frame) are gone');
        assert.deepEqual(log.dialogs, []);
        assert.deepEqual(log.errors, []);
      } finally {
        await page.close();
      }
    });

    it('Shift three times in the frame navigates the top window', async () => {
      const frame = await openFramed();
      try {
        await frame.locator('#q').focus();
        await page.keyboard.press('Shift');
        await page.keyboard.press('Shift');
        await Promise.all([page.waitForURL(isExitUrl, { timeout: 5000 }), page.keyboard.press('Shift')]);
        assert.equal(page.url(), EXIT_URL, 'the top page left for the exit page');
      } finally {
        await page.close();
      }
    });
  });
});
