// 1. axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA, with the `region` and
// `aria-prohibited-attr` rules of lib/browser.mjs) finds no violation on
// any page type. axe looks at the page at rest, so a second check tabs
// through every page and, on each focused element, checks that focus is
// visible and that its text stays readable (WCAG 1.4.3 contrast, 2.4.7).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import {
  PAGES, AXE_TAGS, AXE_RULES, strictIncomplete, startSite, describeViolations,
} from './lib/browser.mjs';

let site, srv, context;

before(async () => { site = await startSite(); ({ srv, context } = site); });
after(() => site?.close());

describe('axe: WCAG 2.2 A and AA', () => {
  for (const p of PAGES) {
    it(`${p.name} (${p.path}) has no violations`, async () => {
      const page = await context.newPage();
      try {
        const res = await page.goto(srv.base + p.path);
        assert.equal(res.status(), p.status);
        const result = await new AxeBuilder({ page }).options({ rules: AXE_RULES }).withTags(AXE_TAGS).analyze();
        assert.equal(result.violations.length, 0,
          `${p.path}: ${result.violations.length} axe violation(s):\n${describeViolations(result.violations)}`);
        assert.deepEqual(strictIncomplete(result), [],
          `${p.path}: left for review:\n${describeViolations(strictIncomplete(result))}`);
        // axe ran its rules (a broken injection would report nothing at all).
        assert.ok(result.passes.length > 10, `axe passed only ${result.passes.length} rules on ${p.path}`);
      } finally {
        await page.close();
      }
    });
  }
});

// Runs in the page on document.activeElement: what it is, whether its look
// differs from its look without focus (it is blurred for a moment to see),
// and the contrast of each piece of its text against the background behind
// it while focused.
function inspectFocused() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { body: true };
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const v = m[1].split(/[,\s/]+/).filter(Boolean).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  };
  const look = () => {
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && parse(s.outlineColor)[3] > 0;
    return [outline ? `outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : 'no outline',
      `shadow ${s.boxShadow}`, `background ${s.backgroundColor}`, `color ${s.color}`,
      `decoration ${s.textDecorationLine}`].join(' | ');
  };
  const focusedLook = look();
  el.blur();
  const restLook = look();
  el.focus();
  const lum = ([r, g, b]) => {
    const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  // The opaque colour behind node: its own background and its ancestors',
  // blended over white.
  const background = (node) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let out = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    return out;
  };
  const describe = (n) => `${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}${n.classList.length ? `.${[...n.classList].join('.')}` : ''}` +
    ` "${(n.textContent || n.value || '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
  const problems = [];
  if (focusedLook === restLook) problems.push(`${describe(el)}: looks the same focused and unfocused (${focusedLook})`);
  const texts = [el, ...el.querySelectorAll('*')].filter((n) =>
    [...n.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()) && n.getClientRects().length > 0);
  for (const n of texts) {
    const cs = getComputedStyle(n);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    const fg = parse(cs.color);
    const bg = background(n);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    if (ratio < need) {
      problems.push(`${describe(n)} when focused: text ${cs.color} on rgb(${bg.map(Math.round).join(', ')}) ` +
        `is ${ratio.toFixed(2)}:1 (needs ${need}:1)`);
    }
  }
  return { id: describe(el), problems };
}

describe('keyboard focus on every page: visible, and text stays readable', () => {
  for (const p of PAGES) {
    it(`${p.name} (${p.path})`, async () => {
      const page = await context.newPage();
      try {
        await page.goto(srv.base + p.path);
        const problems = [];
        let stops = 0, first = null;
        for (let i = 0; i < 200; i++) {
          await page.keyboard.press('Tab');
          const f = await page.evaluate(inspectFocused);
          if (f.body || f.id === first) break;   // past the last stop
          first ??= f.id;
          stops++;
          problems.push(...f.problems);
        }
        assert.ok(stops >= 5, `${p.path}: only ${stops} tab stops found`);
        assert.deepEqual([...new Set(problems)], [], `${p.path}: focus problems`);
      } finally {
        await page.close();
      }
    });
  }
});
