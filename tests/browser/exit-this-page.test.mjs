// Issue 13 item 18: the quick exit behaves as GOV.UK's "Exit this page"
// component does (govuk-frontend exit-this-page.mjs), as progressive
// enhancement over a plain link: Shift three times, each within 5 s of the
// last with no other key between, counted on keyup, a Shift used as a
// modifier not counted; three lights on the link; announcements in a status
// region; the page blanked by an overlay at once on exit, and restored on
// pageshow; rel="nofollow noreferrer". The same in the embed's frame.
// keyboard.test.mjs and frame.test.mjs check that the exit leaves (and
// replaces our page in the history); this file checks each step on the way.
// Timers run on Playwright's fake clock, so "5 seconds" costs nothing.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, watch, newContext, EXIT_URL, isExitUrl } from './lib/browser.mjs';

let site, srv, browser, context;

before(async () => { site = await startSite(); ({ srv, browser, context } = site); });
after(() => site?.close());

const PLACES = [
  { name: 'site page', path: '/organisations/nspcc', status: '.exit-bar [role=status]' },
  { name: 'embed frame', path: '/embed/organisations?limit=3', status: '.sp-top [role=status]' },
];

// The state of the component as a person would perceive it.
function state(page) {
  return page.evaluate(() => {
    const lights = document.querySelector('[data-exit] .exit-lights');
    const shown = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
    const status = document.querySelector('[role=status].exit-status');
    const overlay = document.querySelector('.exit-overlay');
    const main = document.querySelector('main, .sp-list, .sp-embed');
    return {
      lightsShown: shown(lights),
      lightsHidden: lights ? lights.getAttribute('aria-hidden') : null,
      on: lights ? lights.querySelectorAll('.exit-light-on').length : -1,
      status: status ? status.textContent : null,
      overlay: overlay ? { role: overlay.getAttribute('role'), text: overlay.textContent, shown: shown(overlay) } : null,
      mainShown: shown(main),
    };
  });
}

async function open(path, ctx = context) {
  const page = await ctx.newPage();
  const log = watch(page);
  await page.clock.install();
  await page.goto(srv.base + path);
  await page.waitForSelector('[data-exit] .exit-lights', { state: 'attached' });
  return { page, log };
}

for (const place of PLACES) {
  describe(`quick exit on the ${place.name}`, () => {
    it('each Shift lights one more light and says how many presses are left', async () => {
      const { page, log } = await open(place.path);
      try {
        let s = await state(page);
        assert.equal(s.lightsShown, false, 'no lights before a press');
        assert.equal(s.lightsHidden, 'true', 'the lights are hidden from screen readers (the status speaks)');
        assert.equal(s.status, '', 'nothing announced before a press');
        assert.equal(await page.locator(place.status).count(), 1, 'the status region is in the exit landmark');
        await page.keyboard.press('Shift');
        s = await state(page);
        assert.deepEqual([s.lightsShown, s.on, s.status], [true, 1, 'Shift, press 2 more times to exit.']);
        await page.keyboard.press('Shift');
        s = await state(page);
        assert.deepEqual([s.lightsShown, s.on, s.status], [true, 2, 'Shift, press 1 more time to exit.']);
        assert.ok(page.url().startsWith(srv.base), 'two presses do not exit');
        assert.deepEqual(log.errors, []);
      } finally {
        await page.close();
      }
    });

    it('a gap of more than 5 seconds starts the count again, and says so', async () => {
      const { page } = await open(place.path);
      try {
        await page.keyboard.press('Shift');
        await page.keyboard.press('Shift');
        await page.clock.runFor(4900);
        assert.equal((await state(page)).on, 2, 'still counting just under 5 s after the last press');
        await page.clock.runFor(200);
        let s = await state(page);
        assert.deepEqual([s.lightsShown, s.on, s.status], [false, 0, 'Exit this page expired.']);
        await page.keyboard.press('Shift');
        s = await state(page);
        assert.deepEqual([s.on, s.status], [1, 'Shift, press 2 more times to exit.'], 'a new count begins at one');
        await page.keyboard.press('Shift');
        assert.ok(page.url().startsWith(srv.base), 'presses before the gap do not count');
        await page.clock.runFor(5100);
        await page.clock.runFor(5100);
        assert.equal((await state(page)).status, '', 'the expiry message clears itself');
      } finally {
        await page.close();
      }
    });

    it('each press restarts the 5 seconds', async () => {
      const { page } = await open(place.path);
      try {
        await page.keyboard.press('Shift');
        await page.clock.runFor(4000);
        await page.keyboard.press('Shift');
        await page.clock.runFor(4000);
        await Promise.all([page.waitForURL(isExitUrl, { timeout: 5000 }), page.keyboard.press('Shift')]);
        assert.equal(page.url(), EXIT_URL);
      } finally {
        await page.close();
      }
    });

    it('another key between the presses starts the count again', async () => {
      const { page } = await open(place.path);
      try {
        await page.keyboard.press('Shift');
        await page.keyboard.press('Shift');
        await page.keyboard.press('ArrowDown');
        let s = await state(page);
        assert.deepEqual([s.on, s.status], [0, 'Exit this page expired.']);
        await page.keyboard.press('Shift');
        await page.keyboard.press('Shift');
        s = await state(page);
        assert.equal(s.on, 2);
        assert.ok(page.url().startsWith(srv.base), 'the presses before the other key do not count');
      } finally {
        await page.close();
      }
    });

    it('Shift used to type capitals does not count', async () => {
      const { page } = await open(place.path);
      try {
        for (const k of ['Shift+A', 'Shift+B', 'Shift+C', 'Shift+D']) await page.keyboard.press(k);
        const s = await state(page);
        assert.equal(s.on, 0, 'no light for a Shift that was a modifier');
        assert.ok(page.url().startsWith(srv.base));
      } finally {
        await page.close();
      }
    });

    it('on exit the page is blanked at once, and stays blank while the exit page has not arrived', async () => {
      const { page } = await open(place.path);
      // The exit page never arrives: its answer is a 204, after which a
      // browser stays on the page it has (Playwright cannot look into a page
      // whose navigation is held open). What shows is what a person on a
      // slow connection sees meanwhile.
      let asked = 0;
      await page.route(isExitUrl, (route) => { asked += 1; return route.fulfill({ status: 204 }); });
      try {
        await page.keyboard.press('Shift');
        await page.keyboard.press('Shift');
        await page.keyboard.press('Shift');
        await page.waitForTimeout(300);
        const s = await state(page);
        assert.equal(asked, 1, 'the browser asked for the exit page');
        assert.deepEqual(s.overlay, { role: 'alert', text: 'Loading.', shown: true }, 'an overlay announces the exit');
        assert.equal(s.mainShown, false, 'the content behind the overlay is hidden (not only covered)');
        assert.equal(s.status, '', 'the count announcement is cleared');
        const rendered = await page.evaluate(() => [...document.body.children]
          .filter((el) => el.getClientRects().length > 0).map((el) => el.className));
        assert.deepEqual(rendered, ['exit-overlay'], 'nothing but the overlay is rendered');
      } finally {
        await page.close();
      }
    });

    it('coming back (pageshow) removes the overlay and the count', async () => {
      const { page } = await open(place.path);
      // The exit page answers 204, so the browser stays on ours, blanked, as
      // it would be when restored from the back-forward cache.
      await page.route(isExitUrl, (route) => route.fulfill({ status: 204 }));
      try {
        await page.keyboard.press('Shift');
        await page.keyboard.press('Shift');
        await page.keyboard.press('Shift');
        await page.waitForTimeout(300);
        assert.ok((await state(page)).overlay, 'the overlay is up');
        await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
        const s = await state(page);
        assert.equal(s.overlay, null, 'the overlay is gone');
        assert.equal(s.mainShown, true, 'the page is usable again');
        assert.deepEqual([s.on, s.status], [0, '']);
      } finally {
        await page.close();
      }
    });
  });
}

describe('quick exit markup', () => {
  it('every exit link is rel="nofollow noreferrer", targets the top window and goes to the exit page', async () => {
    for (const path of ['/', '/organisations/nspcc', '/embed/organisations', '/embed/organisations.html']) {
      const res = await fetch(srv.base + path);
      assert.equal(res.status, 200, path);
      const html = await res.text();
      const links = [...html.matchAll(/<a [^>]*>Exit this page/g)].map((m) => m[0]);
      assert.ok(links.length >= 1, `${path} has an exit link`);
      for (const a of links) {
        assert.match(a, /\brel="nofollow noreferrer"/, `${path}: ${a}`);
        assert.match(a, /\btarget="_top"/, `${path}: ${a}`);
        assert.ok(a.includes(`href="${EXIT_URL}"`), `${path}: ${a}`);
      }
    }
  });

  it('the Shift hint is shown only where the script runs', async () => {
    const withJs = await context.newPage();
    const noJs = await newContext(browser, srv.base, { javaScriptEnabled: false });
    try {
      await withJs.setViewportSize({ width: 1280, height: 800 });
      await withJs.goto(srv.base + '/');
      assert.equal(await withJs.locator('.exit-hint').isVisible(), true, 'with JavaScript the hint is shown');
      const page = await noJs.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(srv.base + '/');
      assert.equal(await page.locator('.exit-hint').isVisible(), false,
        'without JavaScript Shift does nothing, so the hint is not shown');
      assert.equal(await page.locator('[data-exit]').isVisible(), true, 'the link itself is');
    } finally {
      await withJs.close();
      await noJs.close();
    }
  });
});
