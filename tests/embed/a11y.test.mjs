// 4. axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA, with the `region` and
// `aria-prohibited-attr` rules of ../browser/lib/browser.mjs) finds no violation in
// the embedded listing (opened directly, opened at the address its script
// gives it, and inside a host page on another origin), in the organisation
// embed, in the embed error pages and in the builder page /embed.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import {
  startHost, launch, newContext, assertNothingBlocked, until, frameOf, describeViolations, AXE_TAGS,
  AXE_RULES, strictIncomplete,
} from '../browser/lib/browser.mjs';
import { startSignpost, hostPage } from './lib/harness.mjs';

let sp, host, browser, context;

const LISTING = '/embed/organisations?audience=parents&topic=cyberbullying&limit=5';

before(async () => {
  sp = await startSignpost();
  host = await startHost((req, url) => (url.pathname === '/' ? hostPage('Council page', `
<p>Support for parents, from Signpost:</p>
<script async src="${sp.base}/embed.js" data-audience="parents" data-topic="cyberbullying" data-limit="5"></script>
<p>Thank you for reading.</p>`) : null));
  browser = await launch();
  context = await newContext(browser, [sp.base, host.origin]);
});
after(async () => {
  await context?.close();
  await browser?.close();
  await host?.close();
  await sp?.stop();
});

async function axe(page, label) {
  const results = await new AxeBuilder({ page }).options({ rules: AXE_RULES }).withTags(AXE_TAGS).analyze();
  assert.equal(results.violations.length, 0,
    `${label}: ${results.violations.length} axe violation(s)\n${describeViolations(results.violations)}`);
  assert.deepEqual(strictIncomplete(results), [],
    `${label}: left for review:\n${describeViolations(strictIncomplete(results))}`);
  return results;
}

async function check(path, label, status = 200) {
  const page = await context.newPage();
  try {
    const res = await page.goto(`${sp.base}${path}`);
    assert.equal(res.status(), status, `${label}: status`);
    await axe(page, label);
  } finally {
    await page.close();
  }
}

describe('axe in the embeds and the builder', () => {
  it('the listing, opened directly', () => check(LISTING, 'listing'));
  it('a listing with no match', () => check('/embed/organisations?q=zzqxjv', 'empty listing'));
  it('the organisation embed /embed/organisations/nspcc', () => check('/embed/organisations/nspcc', 'organisation'));
  it('the embed error pages', async () => {
    await check('/embed/organisations?audience=zzz', 'listing, bad filter', 400);
    await check('/embed/organisations/no-such-org', 'organisation, unknown', 404);
  });
  it('the builder /embed', () => check('/embed', 'builder'));
  it('the builder with choices made', () => check('/embed?audience=parents&topic=cyberbullying&limit=3', 'builder with choices'));

  it('the listing inside a host page, and opened at its framed address', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${host.origin}/`);
      const { el, frame } = await frameOf(page, 'script[src$="/embed.js"] + iframe');
      await frame.waitForSelector('.sp-embed');
      // Sized (html.sp-sized) once the first size message has been taken.
      await until(async () => (await el.evaluate((e) => e.style.height)) !== '420px', { message: 'the widget to be sized' });
      assert.match(await frame.evaluate(() => document.documentElement.className), /sp-sized/);
      // axe runs in every frame of the page: the host page is ours and clean,
      // so what it finds is in the widget.
      const results = await axe(page, 'host page with the widget');
      assert.ok(results.passes.some((r) => r.nodes.some((n) => n.target.length > 1)),
        'axe looked inside the cross-origin frame');
      const framed = await context.newPage();
      try {
        await framed.goto(frame.url());
        assert.equal(new URL(framed.url()).hash, `#origin=${encodeURIComponent(host.origin)}`);
        await axe(framed, 'listing at its framed address');
      } finally {
        await framed.close();
      }
    } finally {
      await page.close();
    }
    assertNothingBlocked(context);
  });
});
