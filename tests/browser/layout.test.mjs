// 6. Layout on a small screen and when zoomed.
//
//  - 320 × 568 CSS px (a small phone; also what WCAG 1.4.10 "Reflow" asks
//    for: 1280 px at 400 %): no horizontal scrolling, nothing sticks out of
//    its container, and the exit link is wholly inside the first screen (and
//    still on screen after scrolling to the bottom: its bar is sticky).
//  - 200 % zoom, two ways, because they fail differently:
//    * page zoom: Chrome zoomed to 200 % in a 1280 × 900 window lays the page
//      out in a 640 × 450 CSS px viewport at two device pixels per CSS px, so
//      that is what is emulated (viewport 640 × 450, deviceScaleFactor 2).
//      This exercises the media queries as a zoomed browser would.
//    * text-only resize (WCAG 1.4.4): a 1280 × 900 viewport with the root
//      font size set to 200 %, so every rem/em-sized box and all text double
//      while the viewport stays wide (media queries, in rem, still see 16 px).
//    Both: no horizontal scrolling and nothing sticks out of its container.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES, launch, newContext, startServer } from './lib/browser.mjs';

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Runs in the page: every visible element that sticks out of the viewport
// or of its parent, or whose content is wider than its box. Elements that
// are hidden on purpose (the skip link until focused, visually-hidden text)
// are left out.
function findOverflow() {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (el.classList.length) s += `.${[...el.classList].join('.')}`;
    const p = el.parentElement;
    return `${p ? `${p.tagName.toLowerCase()}${p.className ? `.${[...p.classList].join('.')}` : ''} > ` : ''}${s}` +
      ` "${(el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.visually-hidden, .skip-link, script, style')) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || cs.display === 'contents') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const px = (n) => Math.round(n * 10) / 10;
    if (r.left < -1 || r.right > vw + 1) {
      problems.push(`${name(el)} spans x ${px(r.left)}..${px(r.right)}, outside the ${vw} px viewport`);
      continue;
    }
    const parent = el.parentElement;
    if (parent && parent !== document.body) {
      const pr = parent.getBoundingClientRect();
      if (r.left < pr.left - 1 || r.right > pr.right + 1) {
        problems.push(`${name(el)} spans x ${px(r.left)}..${px(r.right)}, outside its parent's ${px(pr.left)}..${px(pr.right)}`);
        continue;
      }
    }
    if (cs.display !== 'inline' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)}: content ${el.scrollWidth} px wide in a ${el.clientWidth} px box`);
    }
  }
  return problems;
}

async function assertNoHorizontalOverflow(page, where) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  const problems = await page.evaluate(findOverflow);
  assert.ok(scrollWidth <= clientWidth,
    `${where}: scrolls sideways (scrollWidth ${scrollWidth} > ${clientWidth})\n  ${problems.join('\n  ')}`);
  assert.deepEqual(problems, [], `${where}: elements stick out`);
}

// In a describe block: one context made with contextOptions, and one test
// per page type, named "NAME (PATH): what", that opens the page in it and
// hands check(page, p, response) the page, its PAGES entry and the response.
function everyPage(contextOptions, what, check) {
  let context;
  before(async () => { context = await newContext(browser, srv.base, contextOptions); });
  after(() => context?.close());

  for (const p of PAGES) {
    it(`${p.name} (${p.path}): ${what}`, async () => {
      const page = await context.newPage();
      try {
        await check(page, p, await page.goto(srv.base + p.path));
      } finally {
        await page.close();
      }
    });
  }
}

describe('320 px wide', () => {
  everyPage({ viewport: { width: 320, height: 568 } }, 'no horizontal scroll, exit link in the first screen',
    async (page, p, res) => {
      assert.equal(res.status(), p.status);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 320, `${p.path}: document.documentElement.scrollWidth is ${width} (> 320)`);
      await assertNoHorizontalOverflow(page, `${p.path} at 320 px`);
      const exit = page.locator('a[data-exit]');
      const box = await exit.boundingBox();
      assert.ok(box, 'the exit link is rendered');
      assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 320 && box.y + box.height <= 568,
        `${p.path}: exit link at ${JSON.stringify(box)} is not wholly inside the first 320×568 screen`);
      assert.ok(await exit.isVisible());
      // Still on screen at the bottom of the page (the bar is sticky).
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const after = await exit.boundingBox();
      assert.ok(after.y >= 0 && after.y + after.height <= 568,
        `${p.path}: after scrolling to the bottom the exit link is at ${JSON.stringify(after)}`);
    });
});

describe('200 % page zoom (640 × 450 CSS px at 2 device px per px)', () => {
  everyPage({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 }, 'no horizontal scroll, nothing sticks out',
    (page, p) => assertNoHorizontalOverflow(page, `${p.path} at 200 % zoom`));
});

describe('200 % text size (1280 px wide, root font size 200 %)', () => {
  everyPage({ viewport: { width: 1280, height: 900 } }, 'no horizontal scroll, nothing sticks out', async (page, p) => {
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize));
    await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
    const after = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize));
    assert.ok(after >= before * 1.9, `text was resized (h1 ${before} px -> ${after} px)`);
    await assertNoHorizontalOverflow(page, `${p.path} with 200 % text`);
  });
});
