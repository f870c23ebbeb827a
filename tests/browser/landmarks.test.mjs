// Landmarks and names (issue 13 items 11, 12 and 14), at 320 px and 1280 px:
//
//  - axe with the WCAG tags and the `region` and `aria-prohibited-attr`
//    rules (lib/browser.mjs: AXE_RULES) finds nothing, not even something
//    left for review, on the home page, an organisation page, results
//    pages, the embed builder /embed and the embed frames;
//  - the quick exit is in a landmark of its own ("Quick exit", before the
//    banner) on the site and in the frame's banner in the embeds, and is
//    still the first Tab stop after the skip link;
//  - the builder's three code blocks are figures named by their captions,
//    with no aria-label on a <pre>;
//  - breadcrumbs are navigation: nav "Breadcrumb" > ol > li > a.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import {
  AXE_TAGS, AXE_RULES, AXE_STRICT_RULES, strictIncomplete, startSite, describeViolations,
} from './lib/browser.mjs';

let site, srv, context;

before(async () => { site = await startSite(); ({ srv, context } = site); });
after(() => site?.close());

const WIDTHS = [320, 1280];

const AXE_PAGES = [
  { name: 'home', path: '/' },
  { name: 'organisation', path: '/organisations/nspcc' },
  { name: 'results', path: '/organisations' },
  { name: 'results with urgent help first', path: '/organisations?q=in+danger' },
  { name: 'results with no match', path: '/organisations?q=zzqxjv' },
  { name: 'embed builder', path: '/embed' },
  { name: 'embed frame: listing', path: '/embed/organisations?audience=parents&limit=5', frame: true },
  { name: 'embed frame: listing with no match', path: '/embed/organisations?q=zzqxjv', frame: true },
  { name: 'embed frame: organisation', path: '/embed/organisations/nspcc', frame: true },
];

async function open(path, width) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 800 });
  const res = await page.goto(srv.base + path);
  assert.equal(res.status(), 200, `${path}: status`);
  return page;
}

describe('axe: region and aria-prohibited-attr checked, at 320 px and 1280 px', () => {
  for (const p of AXE_PAGES) {
    for (const width of WIDTHS) {
      it(`${p.name} (${p.path}) at ${width} px`, async () => {
        const page = await open(p.path, width);
        try {
          const result = await new AxeBuilder({ page }).options({ rules: AXE_RULES })
            .withTags(AXE_TAGS).analyze();
          const label = `${p.path} at ${width} px`;
          assert.equal(result.violations.length, 0,
            `${label}: ${result.violations.length} axe violation(s):\n${describeViolations(result.violations)}`);
          assert.deepEqual(strictIncomplete(result), [],
            `${label}: left for review:\n${describeViolations(strictIncomplete(result))}`);
          // Both rules ran (region always applies to a page; aria-prohibited-attr
          // only where there is an aria-label or aria-labelledby to judge).
          const ran = [...result.passes, ...result.inapplicable].map((r) => r.id);
          for (const id of AXE_STRICT_RULES) assert.ok(ran.includes(id), `${label}: axe did not run ${id}`);
          assert.ok(result.passes.some((r) => r.id === 'region'), `${label}: region did not pass`);
        } finally {
          await page.close();
        }
      });
    }
  }
});

// Where the exit link is: its nearest landmark, and what the Tab key reaches
// first after the skip link (or first, in a frame, which has none).
function exitPlace() {
  const link = document.querySelector('a[data-exit]');
  const landmark = link.closest('nav, header, aside, main, footer, section[aria-label], section[aria-labelledby], [role]');
  return {
    landmark: landmark ? landmark.tagName.toLowerCase() : null,
    label: landmark ? landmark.getAttribute('aria-label') : null,
    parent: landmark && landmark.parentElement ? landmark.parentElement.tagName.toLowerCase() : null,
    beforeBanner: !!landmark && !!document.querySelector('header.site-header') &&
      !!(landmark.compareDocumentPosition(document.querySelector('header.site-header')) & Node.DOCUMENT_POSITION_FOLLOWING),
    visible: (() => {
      const r = link.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth && r.top >= 0;
    })(),
  };
}

describe('the quick exit is in a landmark, first in the tab order, visible', () => {
  for (const width of WIDTHS) {
    for (const path of ['/', '/organisations/nspcc', '/organisations', '/embed']) {
      it(`site ${path} at ${width} px: nav "Quick exit" before the banner, second Tab stop`, async () => {
        const page = await open(path, width);
        try {
          const place = await page.evaluate(exitPlace);
          assert.deepEqual({ landmark: place.landmark, label: place.label, parent: place.parent },
            { landmark: 'nav', label: 'Quick exit', parent: 'body' }, `${path}: ${JSON.stringify(place)}`);
          assert.ok(place.beforeBanner, `${path}: the quick exit comes before the site header`);
          assert.ok(place.visible, `${path}: the exit link is on screen`);
          await page.keyboard.press('Tab');   // the skip link
          await page.keyboard.press('Tab');
          assert.ok(await page.evaluate(() => document.activeElement.hasAttribute('data-exit')),
            `${path}: the second Tab stop is the exit link`);
        } finally {
          await page.close();
        }
      });
    }
    for (const path of ['/embed/organisations', '/embed/organisations/nspcc']) {
      it(`embed frame ${path} at ${width} px: in the frame's banner, first Tab stop`, async () => {
        const page = await open(path, width);
        try {
          const place = await page.evaluate(exitPlace);
          assert.equal(place.landmark, 'header', `${path}: ${JSON.stringify(place)}`);
          assert.ok(place.visible, `${path}: the exit link is on screen`);
          // The header is the banner: not inside any sectioning element.
          assert.equal(await page.evaluate(() =>
            !!document.querySelector('a[data-exit]').closest('header').parentElement.closest('article, aside, main, nav, section')), false);
          assert.ok(await page.evaluate(() => !!document.querySelector('footer .sp-urgent')),
            `${path}: the urgent numbers are in the frame's footer`);
          await page.keyboard.press('Tab');   // the brand link
          await page.keyboard.press('Tab');
          assert.ok(await page.evaluate(() => document.activeElement.hasAttribute('data-exit')),
            `${path}: the exit link follows the brand link`);
        } finally {
          await page.close();
        }
      });
    }
  }
});

describe('the embed builder names its code blocks without aria-label on <pre>', () => {
  it('three figures, each named by its caption, each holding one focusable code block', async () => {
    const page = await open('/embed?audience=parents&limit=3', 1280);
    try {
      assert.equal(await page.locator('pre[aria-label], pre[aria-labelledby]').count(), 0,
        'no <pre> carries aria-label or aria-labelledby');
      const figures = page.getByRole('figure');
      assert.equal(await figures.count(), 3, 'three figures');
      const names = [];
      for (const kind of ['script', 'iframe', 'link']) {
        const figure = page.locator('figure', { has: page.locator(`code[data-code="${kind}"]`) });
        assert.equal(await figure.count(), 1, `one figure holds the ${kind} code`);
        const caption = (await figure.locator('figcaption').textContent()).trim();
        assert.ok(caption.length > 10, `the ${kind} figure has a caption: ${JSON.stringify(caption)}`);
        // Its accessible name is its caption.
        assert.equal(await page.getByRole('figure', { name: caption, exact: true }).count(), 1,
          `the ${kind} figure is named "${caption}"`);
        assert.equal(await figure.locator('pre[tabindex="0"]').count(), 1, `the ${kind} code block can be focused`);
        names.push(caption);
      }
      assert.equal(new Set(names).size, 3, 'the three names differ');
    } finally {
      await page.close();
    }
  });
});

describe('breadcrumbs are navigation lists', () => {
  const cases = [
    { path: '/organisations/nspcc', links: ['/', '/organisations'] },
    { path: '/topics/online-abuse', links: ['/'] },
    { path: '/topics/cyberbullying', links: ['/', '/topics/online-abuse'] },
    { path: '/organisations/nspcc/report', links: ['/', '/organisations', '/organisations/nspcc'] },
  ];
  for (const c of cases) {
    it(`${c.path}: nav "Breadcrumb" > ol > li > a`, async () => {
      const page = await open(c.path, 320);
      try {
        const crumbs = await page.evaluate(() => {
          const nav = document.querySelector('nav[aria-label="Breadcrumb"]');
          if (!nav) return null;
          const items = [...nav.querySelectorAll(':scope > ol > li')];
          return {
            inMain: !!nav.closest('main'),
            items: items.map((li) => ({ links: li.querySelectorAll('a').length,
              href: li.querySelector('a')?.getAttribute('href') })),
            stray: document.querySelectorAll('p.breadcrumb').length,
          };
        });
        assert.ok(crumbs, `${c.path}: a nav named Breadcrumb`);
        assert.ok(crumbs.inMain, `${c.path}: the breadcrumb is inside main`);
        assert.deepEqual(crumbs.items.map((i) => i.href), c.links, `${c.path}: the trail`);
        assert.ok(crumbs.items.every((i) => i.links === 1), `${c.path}: one link per item`);
        assert.equal(crumbs.stray, 0, `${c.path}: no breadcrumb left as a paragraph`);
      } finally {
        await page.close();
      }
    });
  }
});
