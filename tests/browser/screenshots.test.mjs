// 10. Screenshots of every page type, on a phone (390 × 844) and a desktop
// (1280 × 900), full page, into tests/out/screens/ (git-ignored) for people
// to look at. The only assertion is that each file was written.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PAGES, OUT_DIR, launch, newContext, startServer } from './lib/browser.mjs';

const SCREENS = path.join(OUT_DIR, 'screens');
const DEVICES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
];

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
  await mkdir(SCREENS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

describe('screenshots', () => {
  for (const { name: device, ...options } of DEVICES) {
    it(`${device}: every page type`, async () => {
      const context = await newContext(browser, srv.base, options);
      try {
        const page = await context.newPage();
        for (const p of PAGES) {
          const res = await page.goto(srv.base + p.path);
          assert.equal(res.status(), p.status, p.path);
          const file = path.join(SCREENS, `${p.name}-${device}.png`);
          await page.screenshot({ path: file, fullPage: true });
          assert.ok((await stat(file)).size > 1000, `${file} was written`);
        }
      } finally {
        await context.close();
      }
    });
  }
});
