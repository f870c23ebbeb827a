// Embedding by script and by plain iframe on another site, in Chromium:
//  1. each <script src=/embed.js> puts exactly one iframe right after itself,
//     showing what the JSON API lists for the same filter, and sized to its
//     content; two widgets on one page are independent;
//  2. size messages from anything but the widget's own frame (or with
//     nonsense in them) change nothing, and a frame told a false #origin sends
//     the page nothing;
//  3. the quick exit inside the frame replaces the TOP page.
//
// The host page (standing for a council's page) comes from a node:http server
// on another loopback port, so it is cross-origin to Signpost.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHost, launch, newContext, assertNothingBlocked, watch, until, frameOf, sleep,
  isExitUrl, EXIT_URL, STUB_TITLE,
} from '../browser/lib/browser.mjs';
import { startSignpost, hostPage, apiNames, listedNames } from './lib/harness.mjs';

let sp, host, third, browser;

const A = { audience: 'parents', topic: 'cyberbullying', limit: 5 };
const B = { audience: 'young-people', limit: 3 };
const C = { topic: 'sharing-nudes', limit: 4 };

function widgetsPage() {
  return hostPage('Online safety in Derbyshire', `
<section aria-labelledby="h-a"><h2 id="h-a">For parents</h2>
<script async id="script-a" src="${sp.base}/embed.js" data-audience="${A.audience}" data-topic="${A.topic}" data-q="" data-limit="${A.limit}"></script>
<p id="after-a">Text after widget A.</p>
</section>
<section aria-labelledby="h-b"><h2 id="h-b">For young people</h2>
<script async id="script-b" src="${sp.base}/embed.js" data-audience="${B.audience}" data-limit="${B.limit}"></script>
<p id="after-b">Text after widget B.</p>
</section>
<section aria-labelledby="h-c"><h2 id="h-c">About sharing nudes</h2>
<iframe id="plain" src="${sp.base}/embed/organisations?topic=${C.topic}&amp;limit=${C.limit}" title="Support about sharing nudes from Signpost" width="100%" height="600" style="border:0"></iframe>
</section>`);
}

// The same two widgets, plus things that try to resize them, plus two frames
// built by hand: one told a false #origin, one told the page's real origin.
function hostilePage() {
  const enc = encodeURIComponent;
  return hostPage('A page with hostile neighbours', `
<script>
  window.__messages = [];
  window.addEventListener('message', function (e) {
    var who = 'other';
    ['fake', 'manual', 'plain', 'third', 'sibling'].forEach(function (id) {
      var f = document.getElementById(id);
      if (f && e.source === f.contentWindow) who = id;
    });
    window.__messages.push({ from: who, origin: e.origin, data: e.data });
  });
</script>
<section aria-labelledby="h-a"><h2 id="h-a">Widget A</h2>
<script async id="script-a" src="${sp.base}/embed.js" data-audience="${A.audience}" data-topic="${A.topic}" data-limit="${A.limit}"></script>
</section>
<section aria-labelledby="h-b"><h2 id="h-b">Widget B</h2>
<script async id="script-b" src="${sp.base}/embed.js" data-audience="${B.audience}" data-limit="${B.limit}"></script>
</section>
<iframe id="third" src="${third.origin}/poster" title="Another site" width="300" height="100"></iframe>
<iframe id="sibling" src="${sp.base}/embed/organisations/nspcc" title="Signpost, framed without an origin" width="300" height="100"></iframe>
<iframe id="plain" src="${sp.base}/embed/organisations?topic=${C.topic}" title="Plain" width="300" height="100"></iframe>
<iframe id="fake" src="${sp.base}/embed/organisations?audience=parents#origin=${enc('https://evil.example')}" title="False origin" width="300" height="100"></iframe>
<iframe id="manual" src="${sp.base}/embed/organisations?audience=parents#origin=${enc(host.origin)}" title="True origin" width="300" height="100"></iframe>`);
}

// A page on a third origin that, once framed, keeps posting resize messages
// (of every shape) to the page that frames it.
const POSTER = hostPage('Poster', `<p>Another site.</p>
<script>
  var n = 0;
  function spam() {
    var p = window.parent;
    p.postMessage({ type: 'signpost:resize', height: 5000 + n }, '*');
    p.postMessage({ type: 'signpost:resize', height: '1e9' }, '*');
    p.postMessage({ type: 'signpost:resize', height: 50 }, '*');
    p.postMessage('signpost:resize', '*');
    p.postMessage(JSON.stringify({ type: 'signpost:resize', height: 900 }), '*');
    p.postMessage(null, '*');
    n += 1;
    window.__posted = n;
  }
  spam();
  setInterval(spam, 50);
</script>`);

before(async () => {
  sp = await startSignpost();
  host = await startHost((req, url) => {
    if (url.pathname === '/widgets') return widgetsPage();
    if (url.pathname === '/hostile') return hostilePage();
    if (url.pathname === '/start') return hostPage('Start', '<p>Where the visitor came from.</p>');
    return null;
  });
  third = await startHost((req, url) => (url.pathname === '/poster' ? POSTER : null));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await host?.close();
  await third?.close();
  await sp?.stop();
});

// Heights of the iframe element and of the .sp-embed inside it.
async function sizes(el, frame) {
  const outer = await el.evaluate((e) => e.getBoundingClientRect().height);
  const inner = await frame.evaluate(() => {
    const root = document.querySelector('.sp-embed');
    const doc = document.documentElement;
    return {
      content: root ? root.getBoundingClientRect().height : null,
      scrollHeight: doc.scrollHeight,
      clientHeight: doc.clientHeight,
      innerWidth: window.innerWidth,
      clientWidth: doc.clientWidth,
      overflowY: getComputedStyle(doc).overflowY,
    };
  });
  return { outer, ...inner };
}

// Waits until the iframe is as tall as its content (within 2 px).
function fitted(el, frame, label) {
  return until(async () => {
    const s = await sizes(el, frame);
    return s.content !== null && s.content > 40 && Math.abs(s.outer - s.content) <= 2 ? s : false;
  }, { message: `${label}: iframe height to match its content` });
}

async function openWidgets(context, path = '/widgets') {
  const page = await context.newPage();
  const log = watch(page);
  await page.goto(`${host.origin}${path}`);
  await page.waitForFunction(() => document.querySelectorAll('script[src$="/embed.js"] + iframe').length === 2);
  const a = await frameOf(page, '#script-a + iframe');
  const b = await frameOf(page, '#script-b + iframe');
  await a.frame.waitForSelector('.sp-embed');
  await b.frame.waitForSelector('.sp-embed');
  return { page, log, a, b };
}

describe('1. widgets on another site', () => {
  it('each script inserts exactly one iframe, right after itself, with its own filter', async () => {
    const context = await newContext(browser, [sp.base, host.origin]);
    try {
      const { page, log } = await openWidgets(context);
      const facts = await page.evaluate(() => ({
        frames: document.querySelectorAll('iframe').length,
        scripts: [...document.querySelectorAll('script[src$="/embed.js"]')].map((s) => ({
          id: s.id,
          nextIsFrame: !!s.nextSibling && s.nextSibling.nodeName === 'IFRAME',
          src: s.nextSibling && s.nextSibling.src,
          title: s.nextSibling && s.nextSibling.title,
          framesInSection: s.parentNode.querySelectorAll('iframe').length,
          afterFrame: s.nextSibling && s.nextSibling.nextElementSibling && s.nextSibling.nextElementSibling.id,
        })),
      }));
      assert.equal(facts.frames, 3, 'two scripted iframes and the plain one');
      assert.equal(facts.scripts.length, 2);
      for (const [s, want, after] of [[facts.scripts[0], A, 'after-a'], [facts.scripts[1], B, 'after-b']]) {
        assert.ok(s.nextIsFrame, `${s.id}: the node right after the script is the iframe`);
        assert.equal(s.framesInSection, 1, `${s.id}: exactly one iframe`);
        assert.equal(s.afterFrame, after, `${s.id}: the page's own content follows the iframe`);
        assert.ok(s.title, `${s.id}: the iframe has a title`);
        const src = new URL(s.src);
        assert.equal(src.origin, sp.base);
        assert.equal(src.pathname, '/embed/organisations');
        const params = Object.fromEntries(src.searchParams);
        const expected = Object.fromEntries(Object.entries(want).map(([k, v]) => [k, String(v)]));
        assert.deepEqual(params, expected, `${s.id}: the filter of its data- attributes (and no empty q)`);
        assert.equal(src.hash, `#origin=${encodeURIComponent(host.origin)}`);
      }
      assert.deepEqual(log.errors, []);
      assert.deepEqual(log.console, []);
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('each listing shows what the JSON API lists for its filter', async () => {
    const context = await newContext(browser, [sp.base, host.origin]);
    try {
      const { page, a, b } = await openWidgets(context);
      const c = await frameOf(page, '#plain');
      await c.frame.waitForSelector('.sp-embed');
      for (const [label, frame, want] of [['A', a.frame, A], ['B', b.frame, B], ['plain', c.frame, C]]) {
        const { limit, ...filter } = want;
        const expected = await apiNames(sp.base, { ...filter, per_page: limit });
        assert.ok(expected.length > 0, `${label}: the seed has organisations for ${JSON.stringify(want)}`);
        assert.deepEqual(await listedNames(frame), expected, `${label}: listed organisations`);
        // Links to full entries open in a new tab.
        const targets = await frame.$$eval('.sp-name', (els) => els.map((e) => [e.target, e.rel]));
        for (const [target, rel] of targets) {
          assert.equal(target, '_blank');
          assert.match(rel, /noopener/);
        }
      }
      assert.notDeepEqual(await listedNames(a.frame), await listedNames(b.frame), 'different filters, different lists');
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('each scripted iframe is as tall as its content, with no inner scrollbar, at any width', async () => {
    const context = await newContext(browser, [sp.base, host.origin], { viewport: { width: 1100, height: 800 } });
    try {
      const { page, a, b } = await openWidgets(context);
      for (const width of [1100, 360]) {
        await page.setViewportSize({ width, height: 800 });
        for (const [label, w] of [['A', a], ['B', b]]) {
          const s = await fitted(w.el, w.frame, `${label} at ${width}px`);
          assert.ok(s.scrollHeight <= s.clientHeight + 1,
            `${label} at ${width}px: nothing below the fold inside the frame (${s.scrollHeight} > ${s.clientHeight})`);
          assert.equal(s.innerWidth, s.clientWidth, `${label} at ${width}px: no vertical scrollbar inside the frame`);
        }
      }
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('the two widgets are independent: one growing resizes only its own iframe', async () => {
    const context = await newContext(browser, [sp.base, host.origin]);
    try {
      const { a, b } = await openWidgets(context);
      const a0 = await fitted(a.el, a.frame, 'A');
      const b0 = await fitted(b.el, b.frame, 'B');
      assert.notEqual(Math.round(a0.outer), Math.round(b0.outer), 'different content, different heights');
      await a.frame.evaluate(() => {
        const tall = document.createElement('div');
        tall.id = 'grow';
        tall.style.height = '333px';
        document.querySelector('.sp-embed').appendChild(tall);
      });
      const a1 = await until(async () => {
        const s = await sizes(a.el, a.frame);
        return s.outer >= a0.outer + 330 && Math.abs(s.outer - s.content) <= 2 ? s : false;
      }, { message: 'A to grow by 333px' });
      assert.ok(a1.outer > a0.outer);
      await sleep(300);
      const b1 = await sizes(b.el, b.frame);
      assert.equal(b1.outer, b0.outer, 'B did not change when A grew');
      // And back.
      await a.frame.evaluate(() => document.getElementById('grow').remove());
      await until(async () => Math.abs((await sizes(a.el, a.frame)).outer - a0.outer) <= 2, { message: 'A to shrink back' });
      assert.equal((await sizes(b.el, b.frame)).outer, b0.outer);
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });
});

describe('2. hostile parent and neighbours', () => {
  it('resize messages from anything but the widget frame, or with bad data, change nothing', async () => {
    const context = await newContext(browser, [sp.base, host.origin, third.origin]);
    try {
      const { page, a, b } = await openWidgets(context, '/hostile');
      const a0 = await fitted(a.el, a.frame, 'A');
      const b0 = await fitted(b.el, b.frame, 'B');
      const heights = () => page.evaluate(() =>
        ['#script-a + iframe', '#script-b + iframe'].map((s) => document.querySelector(s).style.height));
      const before = await heights();
      assert.deepEqual(before, [`${Math.ceil(a0.content)}px`, `${Math.ceil(b0.content)}px`]);

      // The third-origin frame is posting already; make sure it has.
      const poster = (await frameOf(page, '#third')).frame;
      await until(() => poster.evaluate(() => window.__posted >= 5), { message: 'the third frame to post' });

      // The parent itself (wrong source, wrong origin).
      await page.evaluate(() => {
        const msgs = [
          { type: 'signpost:resize', height: 5000 },
          { type: 'signpost:resize', height: '1e9' },
          { type: 'signpost:resize', height: 60 },
          'signpost:resize',
          JSON.stringify({ type: 'signpost:resize', height: 900 }),
          null, undefined, 12345, ['signpost:resize', 900], true,
        ];
        for (const m of msgs) window.postMessage(m, '*');
      });

      // A Signpost frame that is not the widget (right origin, wrong source).
      const sibling = (await frameOf(page, '#sibling')).frame;
      await sibling.waitForSelector('.sp-embed');
      await sibling.evaluate(() => {
        for (const h of [5000, 100, 700]) window.parent.postMessage({ type: 'signpost:resize', height: h }, '*');
      });

      // The widget's own frame, with nonsense heights or other shapes.
      for (const w of [a, b]) {
        await w.frame.evaluate(() => {
          const bad = [
            { type: 'signpost:resize', height: '1e9' },
            { type: 'signpost:resize', height: 1e9 },
            { type: 'signpost:resize', height: 20001 },
            { type: 'signpost:resize', height: -300 },
            { type: 'signpost:resize', height: 39 },
            { type: 'signpost:resize', height: 'NaN' },
            { type: 'signpost:resize', height: Infinity },
            { type: 'signpost:resize', height: '700px' },
            { type: 'signpost:resize' },
            { type: 'signpost:size', height: 700 },
            { height: 700 },
            'signpost:resize',
            JSON.stringify({ type: 'signpost:resize', height: 700 }),
            null, 700,
          ];
          for (const m of bad) window.parent.postMessage(m, '*');
        });
      }
      await sleep(500);
      assert.deepEqual(await heights(), before, 'iframe heights after hostile messages');

      // Control: the same check believes the widget's own frame.
      await a.frame.evaluate(() => window.parent.postMessage({ type: 'signpost:resize', height: 1234 }, '*'));
      await until(async () => (await heights())[0] === '1234px', { message: 'A to take a genuine size' });
      assert.equal((await heights())[1], before[1], 'B unchanged by A\'s message');
      // A ping from the page makes the frame report its true size again.
      await page.evaluate((origin) => document.querySelector('#script-a + iframe').contentWindow
        .postMessage({ type: 'signpost:ping' }, origin), sp.base);
      await until(async () => (await heights())[0] === before[0], { message: 'A to come back after a ping' });
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('a frame given a false #origin sends the page no size messages', async () => {
    const context = await newContext(browser, [sp.base, host.origin, third.origin]);
    try {
      const { page } = await openWidgets(context, '/hostile');
      const fakeEl = await frameOf(page, '#fake');
      const manualEl = await frameOf(page, '#manual');
      const fake = fakeEl.frame;
      const manual = manualEl.frame;
      await fake.waitForSelector('.sp-embed');
      await manual.waitForSelector('.sp-embed');
      // Chromium does not render (so runs no ResizeObserver in) cross-origin
      // frames that are off screen: bring both into view.
      await manualEl.el.scrollIntoViewIfNeeded();
      for (const el of [fakeEl.el, manualEl.el]) {
        assert.ok(await el.evaluate((e) => {
          const r = e.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= window.innerHeight;
        }), 'both hand-built frames are on screen');
      }
      // Make both frames change size, so that both would report if they could.
      for (const f of [fake, manual]) {
        await f.evaluate(() => {
          const d = document.createElement('div');
          d.style.height = '123px';
          document.querySelector('.sp-embed').appendChild(d);
        });
      }
      // Control: the frame told the page's real origin does report.
      await until(() => page.evaluate(() => window.__messages.filter((m) => m.from === 'manual').length >= 2),
        { message: 'size messages from the frame given the true origin' });
      await sleep(500);
      const messages = await page.evaluate(() => window.__messages);
      const fromFake = messages.filter((m) => m.from === 'fake');
      assert.deepEqual(fromFake, [], 'messages from the frame told #origin=https://evil.example');
      const fromPlain = messages.filter((m) => m.from === 'plain' || m.from === 'sibling');
      assert.deepEqual(fromPlain, [], 'frames with no #origin send nothing');
      for (const m of messages.filter((x) => x.from === 'manual')) {
        assert.equal(m.origin, sp.base);
        assert.equal(m.data.type, 'signpost:resize');
        assert.equal(typeof m.data.height, 'number');
      }
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });
});

// What the first two guard: someone on a council's page (another origin)
// leaves through the exit inside the framed listing, then presses Back. The
// page they land on must be the one they were on before the council's page
// (/start), never the council's page with the listing (/widgets): exit.js
// must call window.top.location.replace(), which replaces the top page's
// entry in the history. The history is [/start, /widgets] before the exit;
// with replace() it is [/start, exit], without it [/start, /widgets, exit].
// So the Back assertion fails, with actual .../widgets, whenever the exit
// pushes a new entry instead: exit.js setting top.location.href (checked
// once with a binary built that way: both tests fail so), the script not
// running in the frame (the plain target="_top" link pushes), or the
// fallback that navigates only the frame (then waitForURL times out first).
// Playwright's goBack() goes to exactly the previous entry (CDP
// Page.navigateToHistoryEntry), so Chromium's skipping of entries made
// without a user gesture cannot hide a push.
//
// This asserts the exact previous page, unlike keyboard.test.mjs in the
// browser suite, which asserts only that Back leaves Signpost's origin. That
// weaker check would be vacuous here: the page with the widget is on the
// host's origin, so Back to it would pass.
//
// The title check says that the top window shows the exit destination's
// stub. When this harness was first delegated to the browser one, this test
// (and only this one) failed there, "Weather" against "Weather stub": the
// browser harness's stub page was titled "Weather" while this file still
// expected the embed harness's STUB_TITLE. Launch flags, context options and
// history were the same in both (the history after the exit was
// [about:blank, /start, exit] either way). STUB_TITLE and the stub now have
// one definition, in ../browser/lib/browser.mjs.
describe('3. quick exit from inside the frame', () => {
  it('the exit link replaces the top page: Back does not return to the host page', async () => {
    const context = await newContext(browser, [sp.base, host.origin]);
    try {
      const page = await context.newPage();
      const log = watch(page);
      await page.goto(`${host.origin}/start`);
      await page.goto(`${host.origin}/widgets`);
      const a = await frameOf(page, '#script-a + iframe');
      const link = await a.frame.waitForSelector('a[data-exit]');
      assert.equal(await link.getAttribute('href'), EXIT_URL);
      assert.equal(await link.getAttribute('target'), '_top');
      await Promise.all([
        page.waitForURL(isExitUrl),
        link.click(),
      ]);
      assert.ok(isExitUrl(page.mainFrame().url()), `the top window left: ${page.url()}`);
      assert.equal(await page.title(), STUB_TITLE);
      await page.goBack();
      assert.equal(page.url(), `${host.origin}/start`, 'Back skips the host page with the listing');
      assert.deepEqual(log.errors, []);
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('pressing Shift three times inside the frame leaves the same way', async () => {
    const context = await newContext(browser, [sp.base, host.origin]);
    try {
      const page = await context.newPage();
      await page.goto(`${host.origin}/start`);
      await page.goto(`${host.origin}/widgets`);
      const b = await frameOf(page, '#script-b + iframe');
      await b.frame.focus('.sp-name');
      await Promise.all([
        page.waitForURL(isExitUrl),
        (async () => { for (let i = 0; i < 3; i++) await page.keyboard.press('Shift'); })(),
      ]);
      await page.goBack();
      assert.equal(page.url(), `${host.origin}/start`);
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript, the plain iframe\'s exit link still takes the top window away', async () => {
    const context = await newContext(browser, [sp.base, host.origin], { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${host.origin}/widgets`);
      assert.equal(await page.locator('iframe').count(), 1, 'no script, so only the plain iframe');
      const c = await frameOf(page, '#plain');
      const link = await c.frame.waitForSelector('a[data-exit]');
      await Promise.all([page.waitForURL(isExitUrl), link.click()]);
      assert.ok(isExitUrl(page.mainFrame().url()));
      assertNothingBlocked(context);
    } finally {
      await context.close();
    }
  });
});
