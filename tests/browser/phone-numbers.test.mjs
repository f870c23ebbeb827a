// Phone numbers never break across lines (issue 13 item 13): every number
// behind a tel: link, wherever it is shown (an organisation's contacts,
// result cards, the urgent-help block, get help now, the guidance written in
// Markdown, and the embed frames), sits in an element whose computed
// white-space is nowrap and takes one line at 320 px; squeezing its
// container to a few characters still leaves it on one line. In guidance,
// the numbers written in the text are tel: links.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite } from './lib/browser.mjs';

let site, srv, context;

before(async () => { site = await startSite(); ({ srv, context } = site); });
after(() => site?.close());

// Runs in the page: for every tel: link (inside scope), the number as shown,
// whether its text's element is white-space: nowrap, and how many lines the
// number's own text takes. With squeeze, the link's parent is first made a
// few characters wide, so anything that can wrap does.
function telNumbers({ scope, squeeze }) {
  const out = [];
  for (const a of document.querySelectorAll(`${scope} a[href^="tel:"]`)) {
    const digits = a.getAttribute('href').slice(4).replace(/\D/g, '');
    if (squeeze) {
      a.parentElement.style.width = '4em';
      a.parentElement.style.minWidth = '0';
    }
    // The text node holding the number: its digits, in order, with only
    // spaces (ordinary or no-break) between them.
    const pattern = new RegExp(digits.split('').join('[ \\u00a0]?'));
    const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    let node, match = null;
    while ((node = walker.nextNode())) {
      match = pattern.exec(node.data);
      if (match) break;
    }
    if (!match) {
      out.push({ href: a.getAttribute('href'), text: a.textContent, found: false });
      continue;
    }
    const range = document.createRange();
    range.setStart(node, match.index);
    range.setEnd(node, match.index + match[0].length);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
      .map((r) => Math.round(r.top)));
    const cs = getComputedStyle(node.parentElement);
    out.push({
      href: a.getAttribute('href'),
      number: match[0],
      found: true,
      nowrap: cs.whiteSpace === 'nowrap' || cs.textWrapMode === 'nowrap',
      element: `${node.parentElement.tagName.toLowerCase()}.${[...node.parentElement.classList].join('.')}`,
      lines: tops.size,
    });
  }
  return out;
}

const PLACES = [
  { name: 'organisation contacts', path: '/organisations/nspcc', scope: '.channels', min: 1 },
  { name: 'result cards', path: '/organisations', scope: '.cards', min: 3 },
  { name: 'urgent help on the home page', path: '/', scope: '.urgent-home', min: 4 },
  { name: 'urgent help beside other pages', path: '/about', scope: 'aside.urgent', min: 3 },
  { name: 'get help now', path: '/help', scope: '.help-list', min: 4 },
  { name: 'guidance from Markdown', path: '/topics/online-abuse', scope: '.guidance', min: 4 },
  { name: 'embed frame: listing', path: '/embed/organisations?limit=20', scope: '.sp-list', min: 3 },
  { name: 'embed frame: organisation', path: '/embed/organisations/nspcc', scope: '.sp-list', min: 1 },
  { name: 'embed frame: urgent numbers', path: '/embed/organisations', scope: '.sp-urgent', min: 2 },
];

describe('a phone number is white-space: nowrap and on one line at 320 px', () => {
  for (const p of PLACES) {
    for (const squeeze of [false, true]) {
      it(`${p.name} (${p.path})${squeeze ? ', its container squeezed to 4em' : ''}`, async () => {
        const page = await context.newPage();
        try {
          await page.setViewportSize({ width: 320, height: 640 });
          const res = await page.goto(srv.base + p.path);
          assert.equal(res.status(), 200);
          const numbers = await page.evaluate(telNumbers, { scope: p.scope, squeeze });
          assert.ok(numbers.length >= p.min,
            `${p.path}: at least ${p.min} tel: links in ${p.scope}, found ${JSON.stringify(numbers)}`);
          for (const n of numbers) {
            assert.ok(n.found, `${p.path}: the number of ${n.href} is in its link's text: ${JSON.stringify(n)}`);
            // One-digit-group numbers (999) cannot wrap; the rest must be nowrap.
            if (/[ \u00a0]/.test(n.number)) {
              assert.ok(n.nowrap, `${p.path}: "${n.number}" is in ${n.element}, which is not white-space: nowrap`);
            }
            assert.equal(n.lines, 1, `${p.path}: "${n.number}" (${n.href}) takes ${n.lines} lines`);
          }
        } finally {
          await page.close();
        }
      });
    }
  }
});

describe('guidance: the numbers in the text are tel: links', () => {
  it('/topics/online-abuse links 999, Childline, the NSPCC Helpline and POSH', async () => {
    const page = await context.newPage();
    try {
      await page.goto(srv.base + '/topics/online-abuse');
      const links = await page.$$eval('.guidance a[href^="tel:"]', (as) =>
        as.map((a) => [a.getAttribute('href'), a.textContent.replace(/\u00a0/g, ' ')]));
      const hrefs = new Map(links);
      assert.equal(hrefs.get('tel:999'), '999');
      assert.equal(hrefs.get('tel:08001111'), '0800 1111');
      assert.equal(hrefs.get('tel:08088005000'), '0808 800 5000');
      assert.equal(hrefs.get('tel:03443814772'), '0344 381 4772');
      // No figure that is not a phone number became a link (the guidance
      // names the Serious Crime Act 2015, the Sexual Offences Act 2003, ages).
      for (const [href] of links) {
        assert.match(href, /^tel:(999|08001111|08088005000|03443814772|08081000900)$/, `unexpected link ${href}`);
      }
      const text = await page.locator('.guidance').textContent();
      if (text.includes('2015')) {
        assert.equal(await page.locator('.guidance a', { hasText: '2015' }).count(), 0, '2015 is not a link');
      }
    } finally {
      await page.close();
    }
  });
});
