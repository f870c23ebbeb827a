// 3 and 4. Keyboard only: the tab order starts with the skip link and the exit
// link; search and filters work without a mouse; the exit link and pressing
// Shift three times leave for the stub of the exit destination, replacing our
// page in the history.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext, startSite, watch, sleep, EXIT_URL, STUB_TITLE, isExitUrl } from './lib/browser.mjs';

let site, srv, browser, context;

before(async () => { site = await startSite(); ({ srv, browser, context } = site); });
after(() => site?.close());

// What has the keyboard focus: a short description for messages and checks.
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    return {
      tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, type: el.type || '',
      name: el.getAttribute('name') || '', value: el.value ?? '', checked: !!el.checked,
      href: el.getAttribute('href') || '', exit: el.hasAttribute('data-exit'),
      text: (el.textContent || '').trim().slice(0, 60),
    };
  });
}

// Presses Tab until match(focused) holds; fails after max presses.
async function tabTo(page, match, what, max = 60) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (match(f)) return f;
    seen.push(`${f.tag}${f.id ? `#${f.id}` : ''}${f.text ? ` "${f.text}"` : ''}`);
  }
  assert.fail(`${what} not reached with ${max} Tab presses; focus went: ${seen.join(' → ')}`);
}

async function freshPage() {
  const page = await context.newPage();
  const log = watch(page);
  return { page, log };
}

function assertQuiet(log, where) {
  assert.deepEqual(log.errors, [], `page errors on ${where}`);
  assert.deepEqual(log.dialogs, [], `dialogs on ${where}`);
}

describe('keyboard only', () => {
  it('Tab from the top of the home page reaches the skip link, then the exit link', async () => {
    const { page, log } = await freshPage();
    try {
      await page.goto(srv.base + '/');
      await page.keyboard.press('Tab');
      let f = await focused(page);
      assert.equal(f.tag, 'a', `first Tab focuses ${JSON.stringify(f)}`);
      assert.equal(f.href, '#main', `first Tab stop is the skip link: ${JSON.stringify(f)}`);
      assert.match(f.text, /skip to main content/i);
      // The skip link is visible when focused (it is off-screen otherwise).
      const box = await page.locator('a.skip-link').boundingBox();
      const vp = page.viewportSize();
      assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width,
        `focused skip link is on screen: ${JSON.stringify(box)}`);
      await page.keyboard.press('Tab');
      f = await focused(page);
      assert.ok(f.exit, `second Tab stop is the exit link: ${JSON.stringify(f)}`);
      assertQuiet(log, '/');
    } finally {
      await page.close();
    }
  });

  it('the skip link moves focus to the main content', async () => {
    const { page } = await freshPage();
    try {
      await page.goto(srv.base + '/');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const f = await focused(page);
      assert.equal(f.tag, 'main', `focus after the skip link: ${JSON.stringify(f)}`);
      await page.keyboard.press('Tab');
      const inside = await page.evaluate(() => !!document.activeElement.closest('main'));
      assert.ok(inside, 'the next Tab stop after skipping is inside main');
    } finally {
      await page.close();
    }
  });

  it('search: tab to the box, type, press Enter, land on the results for that query', async () => {
    const { page, log } = await freshPage();
    try {
      await page.goto(srv.base + '/');
      await tabTo(page, (f) => f.tag === 'input' && f.name === 'q', 'the search box');
      await page.keyboard.type('bullying');
      await Promise.all([page.waitForURL((u) => u.pathname === '/organisations'), page.keyboard.press('Enter')]);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('q'), 'bullying');
      assert.match(await page.locator('h1').textContent(), /bullying/);
      assert.equal(await page.locator('#q').inputValue(), 'bullying', 'the query is kept in the box');
      assert.ok(await page.locator('ol.cards > li.card').count() > 0, 'there are results');
      assertQuiet(log, page.url());
    } finally {
      await page.close();
    }
  });

  it('filters: checkboxes toggle with Space and the form submits with Enter', async () => {
    const { page, log } = await freshPage();
    try {
      await page.goto(srv.base + '/organisations?q=bullying');
      await tabTo(page, (f) => f.id === 'aud-parents', 'the "Parents and carers" checkbox');
      assert.equal((await focused(page)).checked, false);
      await page.keyboard.press('Space');
      assert.equal((await focused(page)).checked, true, 'Space checks it');
      await page.keyboard.press('Space');
      assert.equal((await focused(page)).checked, false, 'Space unchecks it');
      await page.keyboard.press('Space');
      await tabTo(page, (f) => f.id === 'topic-cyberbullying', 'the "Cyberbullying" checkbox');
      await page.keyboard.press('Space');
      assert.equal((await focused(page)).checked, true);
      await tabTo(page, (f) => f.tag === 'button' && /apply filters/i.test(f.text), 'the Apply filters button');
      await Promise.all([page.waitForURL((u) => u.searchParams.has('audience')), page.keyboard.press('Enter')]);
      const url = new URL(page.url());
      assert.equal(url.pathname, '/organisations');
      assert.deepEqual(url.searchParams.getAll('audience'), ['parents']);
      assert.deepEqual(url.searchParams.getAll('topic'), ['cyberbullying']);
      assert.equal(url.searchParams.get('q'), 'bullying', 'the query is kept by the filters form');
      assert.equal(await page.locator('#aud-parents').isChecked(), true);
      assert.equal(await page.locator('#topic-cyberbullying').isChecked(), true);
      assertQuiet(log, page.url());
    } finally {
      await page.close();
    }
  });

  it('filters: Enter on a checkbox submits the filters form', async () => {
    const { page } = await freshPage();
    try {
      await page.goto(srv.base + '/organisations');
      await tabTo(page, (f) => f.id === 'aud-professionals', 'the "Professionals" checkbox');
      await page.keyboard.press('Space');
      await Promise.all([page.waitForURL((u) => u.searchParams.has('audience')), page.keyboard.press('Enter')]);
      assert.deepEqual(new URL(page.url()).searchParams.getAll('audience'), ['professionals']);
    } finally {
      await page.close();
    }
  });

  it('the exit link activated with Enter leaves for the exit page, and Back does not return', async () => {
    const { page, log } = await freshPage();
    try {
      await page.goto(srv.base + '/organisations/nspcc');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.ok((await focused(page)).exit, 'two Tabs reach the exit link');
      await Promise.all([page.waitForURL(isExitUrl), page.keyboard.press('Enter')]);
      assert.equal(page.url(), EXIT_URL);
      assert.equal(await page.title(), STUB_TITLE);
      await page.goBack().catch(() => null);
      await sleep(200);
      assert.ok(!page.url().startsWith(srv.base),
        `Back after exiting returned to our page ${page.url()} (the exit must use location.replace)`);
      assertQuiet(log, 'exit');
    } finally {
      await page.close();
    }
  });

  it('without JavaScript the exit link still leaves for the exit page', async () => {
    const noJs = await newContext(browser, srv.base, { javaScriptEnabled: false });
    try {
      const page = await noJs.newPage();
      await page.goto(srv.base + '/help');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await Promise.all([page.waitForURL(isExitUrl), page.keyboard.press('Enter')]);
      assert.equal(await page.title(), STUB_TITLE);
    } finally {
      await noJs.close();
    }
  });
});

describe('Shift pressed three times', () => {
  it('exits to the exit page, replacing ours in the history', async () => {
    const { page, log } = await freshPage();
    try {
      await page.goto(srv.base + '/topics/online-abuse');
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      await Promise.all([page.waitForURL(isExitUrl, { timeout: 5000 }), page.keyboard.press('Shift')]);
      assert.equal(await page.title(), STUB_TITLE);
      await page.goBack().catch(() => null);
      await sleep(200);
      assert.ok(!page.url().startsWith(srv.base), `Back after Shift ×3 returned to ${page.url()}`);
      assertQuiet(log, 'shift exit');
    } finally {
      await page.close();
    }
  });

  it('works while typing in the search box', async () => {
    const { page } = await freshPage();
    try {
      await page.goto(srv.base + '/');
      await page.locator('#q').focus();
      await page.keyboard.type('help');
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      await Promise.all([page.waitForURL(isExitUrl, { timeout: 5000 }), page.keyboard.press('Shift')]);
    } finally {
      await page.close();
    }
  });

  it('two presses do not exit', async () => {
    const { page } = await freshPage();
    try {
      await page.goto(srv.base + '/');
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      await sleep(700);
      assert.equal(page.url(), srv.base + '/');
      assert.equal(await page.locator('h1').isVisible(), true, 'the page is still shown');
    } finally {
      await page.close();
    }
  });

  it('another key between the presses starts the count again', async () => {
    const { page } = await freshPage();
    try {
      await page.goto(srv.base + '/');
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      await page.keyboard.press('a');
      await page.keyboard.press('Shift');
      await sleep(700);
      assert.equal(page.url(), srv.base + '/');
    } finally {
      await page.close();
    }
  });
});
