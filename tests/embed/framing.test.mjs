// 5. Who may frame what. The embed routes may be framed: by any site by
// default (frame-ancestors *), or only by the sites given with
// --embed-origins. Every other page keeps frame-ancestors 'none' and
// X-Frame-Options: DENY, and is refused in any frame.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHost, launch, newContext, assertNothingBlocked, frameOf, showsSignpost, sleep,
} from '../browser/lib/browser.mjs';
import { startSignpost, hostPage } from './lib/harness.mjs';

let open, strict, allowedHost, otherHost, browser;

const EMBEDS = [
  '/embed/organisations?audience=parents&limit=3',
  '/embed/organisations/nspcc',
];

// Pages that must never be framed (and their expected status).
const NOT_FRAMABLE = [
  ['/', 200], ['/organisations', 200], ['/organisations?audience=parents', 200],
  ['/organisations/nspcc', 200], ['/about', 200], ['/help', 200], ['/embed', 200],
  ['/embed?audience=parents&limit=3', 200], ['/nope', 404], ['/organisations?audience=zzz', 400],
  ['/embed?limit=99', 400],
];

// A host page framing the given Signpost addresses; target is filled in per request:
// /frame?src=URL&src=URL...
function hostHandler(req, url) {
  if (url.pathname !== '/frame') return null;
  const srcs = url.searchParams.getAll('src');
  return hostPage('Framing test', srcs.map((s, i) =>
    `<iframe id="f${i}" src="${s.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" title="Frame ${i}" width="600" height="300"></iframe>`).join('\n'));
}

before(async () => {
  allowedHost = await startHost(hostHandler);
  otherHost = await startHost(hostHandler);
  open = await startSignpost();
  strict = await startSignpost({ embedOrigins: allowedHost.origin });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await allowedHost?.close();
  await otherHost?.close();
  await open?.stop();
  await strict?.stop();
});

function frameAncestors(csp) {
  const m = /(?:^|;)\s*frame-ancestors\s+([^;]*)/.exec(csp || '');
  return m ? m[1].trim() : null;
}

// Loads a host page framing srcs; returns, per frame, whether it shows Signpost.
async function framed(context, hostOrigin, srcs) {
  const page = await context.newPage();
  try {
    const q = new URLSearchParams(srcs.map((s) => ['src', s]));
    await page.goto(`${hostOrigin}/frame?${q}`);
    const results = [];
    for (let i = 0; i < srcs.length; i++) {
      const { frame } = await frameOf(page, `#f${i}`);
      await frame.waitForLoadState('load').catch(() => {});
      results.push(frame);
    }
    await sleep(200);
    const out = [];
    for (const f of results) out.push(await showsSignpost(f));
    return out;
  } finally {
    await page.close();
  }
}

describe('headers', () => {
  it('embed routes: framable by anyone by default, by the listed origins with --embed-origins, no X-Frame-Options', async () => {
    // With a list, 'self' is added so that the /embed builder can preview.
    for (const [srv, want] of [[open, '*'], [strict, `${allowedHost.origin} 'self'`]]) {
      for (const path of [...EMBEDS, '/embed/organisations?audience=zzz', '/embed/organisations/no-such-org']) {
        const res = await fetch(`${srv.base}${path}`);
        await res.arrayBuffer();
        assert.equal(frameAncestors(res.headers.get('content-security-policy')), want, `${path}: frame-ancestors`);
        assert.equal(res.headers.get('x-frame-options'), null, `${path}: no X-Frame-Options`);
      }
    }
  });

  it('every other page: frame-ancestors \'none\' and X-Frame-Options: DENY, whatever --embed-origins says', async () => {
    for (const srv of [open, strict]) {
      for (const [path, status] of NOT_FRAMABLE) {
        const res = await fetch(`${srv.base}${path}`);
        await res.arrayBuffer();
        assert.equal(res.status, status, `${path}: status`);
        assert.equal(frameAncestors(res.headers.get('content-security-policy')), "'none'", `${path}: frame-ancestors`);
        assert.equal(res.headers.get('x-frame-options'), 'DENY', `${path}: X-Frame-Options`);
      }
    }
  });

  it('--embed-origins refuses values that are not origins', async () => {
    await assert.rejects(startSignpost({ embedOrigins: 'javascript:alert(1)' }), /embed-origins/);
    await assert.rejects(startSignpost({ embedOrigins: "https://a.example; script-src *" }), /embed-origins/);
  });
});

describe('in Chromium', () => {
  it('with --embed-origins, the embeds show in the allowed host and are refused in another', async () => {
    const context = await newContext(browser, [strict.base, allowedHost.origin, otherHost.origin]);
    try {
      const srcs = EMBEDS.map((p) => `${strict.base}${p}`);
      assert.deepEqual(await framed(context, allowedHost.origin, srcs), [true, true], 'in the allowed host');
      assert.deepEqual(await framed(context, otherHost.origin, srcs), [false, false], 'in another host');
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('without --embed-origins, the embeds show in any host', async () => {
    const context = await newContext(browser, [open.base, allowedHost.origin, otherHost.origin]);
    try {
      const srcs = EMBEDS.map((p) => `${open.base}${p}`);
      assert.deepEqual(await framed(context, allowedHost.origin, srcs), [true, true]);
      assert.deepEqual(await framed(context, otherHost.origin, srcs), [true, true]);
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('the home page (and the other site pages) are refused in every host, even the allowed one', async () => {
    const context = await newContext(browser, [open.base, strict.base, allowedHost.origin, otherHost.origin]);
    try {
      for (const srv of [open, strict]) {
        const srcs = ['/', '/organisations/nspcc', '/embed'].map((p) => `${srv.base}${p}`);
        for (const h of [allowedHost, otherHost]) {
          assert.deepEqual(await framed(context, h.origin, srcs), [false, false, false],
            `${srv === open ? 'default' : '--embed-origins'} server, host ${h.origin}`);
        }
      }
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('the home page is refused even in a frame of Signpost\'s own builder (frame-src \'self\')', async () => {
    const context = await newContext(browser, [open.base]);
    try {
      const page = await context.newPage();
      await page.goto(`${open.base}/embed`);
      // Control: the builder's preview frame (an embed) does show.
      const preview = (await frameOf(page, '[data-preview]')).frame;
      await preview.waitForSelector('.sp-embed');
      assert.equal(await showsSignpost(preview), true, 'the preview shows');
      await page.evaluate(() => {
        const f = document.createElement('iframe');
        f.id = 'self-home';
        f.title = 'home';
        f.src = '/';
        document.body.appendChild(f);
      });
      const { frame } = await frameOf(page, '#self-home');
      await frame.waitForLoadState('load').catch(() => {});
      await sleep(200);
      assert.equal(await showsSignpost(frame), false, 'the home page framed by Signpost itself');
      await page.close();
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });
});

describe('fixed bugs that must stay fixed', () => {
  it('with --embed-origins, the builder\'s own preview still shows', {
  }, async () => {
    const context = await newContext(browser, [strict.base]);
    try {
      const page = await context.newPage();
      await page.goto(`${strict.base}/embed`);
      const { frame } = await frameOf(page, '[data-preview]');
      await frame.waitForLoadState('load').catch(() => {});
      await sleep(300);
      assert.equal(await showsSignpost(frame), true, `the preview frame shows the listing (it is at ${frame.url()})`);
    } finally {
      await context.close();
    }
  });
});
