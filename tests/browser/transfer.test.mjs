// 7. Weight and origins: a page, with its CSS and script inlined, fits in
// the first 14 KiB a server can send (TCP's initial congestion window), and
// the browser asks no other origin for anything.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { PAGES, startSite, sleep } from './lib/browser.mjs';

const BUDGET = 14 * 1024;

let site, srv, context;

before(async () => { site = await startSite(); ({ srv, context } = site); });
after(() => site?.close());

// GET with node:http: the body exactly as sent (no decompression).
function rawGet(base, path, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get(base + path, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

describe('transfer size (gzip)', () => {
  for (const p of PAGES) {
    it(`${p.name} (${p.path}) is under 14 KiB compressed`, async () => {
      const res = await rawGet(srv.base, p.path, { 'accept-encoding': 'gzip' });
      assert.equal(res.status, p.status);
      assert.equal(res.headers['content-encoding'], 'gzip', `${p.path} is sent gzipped`);
      const html = gunzipSync(res.body).toString('utf8');
      assert.match(html, /<style>[^<]{100,}<\/style>/, 'the CSS is inlined');
      assert.match(html, /<script>(?:(?!<\/script>)[^]){100,}<\/script>/, 'the script is inlined');
      assert.ok(res.body.length < BUDGET,
        `${p.path}: ${res.body.length} bytes gzipped (${html.length} unzipped), over the ${BUDGET}-byte budget`);
    });
  }
});

describe('no request to another origin', () => {
  for (const p of PAGES) {
    it(`${p.name} (${p.path}) asks only our server`, async () => {
      const page = await context.newPage();
      const urls = [];
      page.on('request', (r) => urls.push(r.url()));
      try {
        await page.goto(srv.base + p.path, { waitUntil: 'load' });
        await page.waitForLoadState('networkidle').catch(() => {});
        await sleep(100);
        const origin = new URL(srv.base).origin;
        const foreign = urls.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
        assert.deepEqual(foreign, [], `${p.path} made requests to other origins`);
        assert.ok(urls.includes(srv.base + p.path), 'the page request itself was seen');
      } finally {
        await page.close();
      }
    });
  }
  it('nothing was blocked by the test routes either', () => {
    assert.deepEqual(context.blocked, []);
  });
});
