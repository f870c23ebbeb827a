// 9. Hostile records: markup, attribute breakers, javascript: URLs and the
// U+2028/U+2029 separators stored in the database are shown as text, never
// run, and never become links; topic guidance in Markdown cannot carry raw
// HTML or javascript: links. The JSON API gives the strings back exactly.
//
// The database is made by starting the server once (it creates and seeds
// it), stopping it, and writing the records with the sqlite3 command-line
// tool; the server is then started again on that database.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { checkResponse } from '../http/lib/openapi.mjs';
import { launch, newContext, startServer, tempDir, watch, sleep, sqlite } from './lib/browser.mjs';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const ATTR = "' onmouseover='alert(1)";
const JS = 'javascript:alert(1)';
const LS = '\u2028';
const PS = '\u2029';

// The hostile organisation (inserted) and the changes to NSPCC (updated).
const ORG = {
  slug: 'hostile-test',
  name: `Zyxwv ${SCRIPT} ${IMG}${LS}${ATTR}${PS}end`,
  summary: `${SCRIPT} summary ${IMG} ${ATTR} line${LS}separator${PS}paragraph`,
  description: `${IMG} description ${SCRIPT} ${ATTR}${LS}${PS}`,
  website: JS,
  coverage: `${ATTR} coverage`,
  source: `${SCRIPT} source`,
  contacts: [
    { kind: 'website', label: SCRIPT, value: JS, hours: null },
    { kind: 'report-form', label: IMG, value: 'JaVaScRiPt:alert(1)', hours: null },
    { kind: 'webchat', label: ATTR, value: 'java\tscript:alert(1)', hours: `${LS}${SCRIPT}` },
    { kind: 'website', label: `data ${LS}`, value: `data:text/html,${SCRIPT}`, hours: null },
    { kind: 'phone', label: `phone ${IMG}`, value: `0800 ${IMG}`, hours: ATTR },
    { kind: 'email', label: 'email', value: `x@example.org${IMG}`, hours: null },
  ],
  resources: [
    { name: SCRIPT, url: JS, summary: `${IMG}${LS}` },
    { name: IMG, url: ' javascript:alert(1)', summary: ATTR },
    { name: `${ATTR}${PS}`, url: '//evil.example/x', summary: SCRIPT },
  ],
};
const NSPCC = { summary: `${IMG}${LS}nspcc${PS}`, description: SCRIPT, website: JS };
const GUIDANCE = [
  SCRIPT,
  '[x](javascript:alert(1))',
  '[y](JAVASCRIPT:alert(1))',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)" onclick="alert(1)">z</a>',
  `${ATTR} plain text`,
].join('\n\n');
const HELP = { label: `${SCRIPT} help`, description: IMG, value: JS };

// A SQL string literal; control and separator characters as char() so the
// command line carries plain text.
function sql(value) {
  if (value === null || value === undefined) return 'NULL';
  const parts = [];
  let lit = '';
  for (const ch of String(value)) {
    const code = ch.codePointAt(0);
    if (code < 0x20 || code === 0x2028 || code === 0x2029) {
      if (lit) parts.push(`'${lit}'`);
      lit = '';
      parts.push(`char(${code})`);
    } else {
      lit += ch === "'" ? "''" : ch;
    }
  }
  if (lit || parts.length === 0) parts.push(`'${lit}'`);
  return parts.join(' || ');
}

function hostileSql() {
  const org = `(SELECT pk FROM organisation WHERE slug = ${sql(ORG.slug)})`;
  const lines = [
    'PRAGMA foreign_keys = ON;',
    'BEGIN;',
    `INSERT INTO organisation (id, slug, name, summary, description, website, kind, coverage, source)
       VALUES (${sql(randomUUID())}, ${sql(ORG.slug)}, ${sql(ORG.name)}, ${sql(ORG.summary)},
               ${sql(ORG.description)}, ${sql(ORG.website)}, 'charity', ${sql(ORG.coverage)}, ${sql(ORG.source)});`,
    ...ORG.contacts.map((c, i) => `INSERT INTO contact (org_pk, position, kind, label, value, hours)
       VALUES (${org}, ${i}, ${sql(c.kind)}, ${sql(c.label)}, ${sql(c.value)}, ${sql(c.hours)});`),
    ...ORG.resources.map((r, i) => `INSERT INTO resource (id, slug, org_pk, position, name, type, url, summary, source)
       VALUES (${sql(randomUUID())}, ${sql(`hostile-resource-${i}`)}, ${org}, ${i}, ${sql(r.name)}, 'guidance',
               ${sql(r.url)}, ${sql(r.summary)}, 'test');`),
    `INSERT INTO org_audience (org_pk, audience_pk) SELECT ${org}, pk FROM audience WHERE slug = 'parents';`,
    `INSERT INTO org_topic (org_pk, topic_pk) SELECT ${org}, pk FROM topic WHERE slug = 'online-abuse';`,
    `UPDATE organisation SET summary = ${sql(NSPCC.summary)}, description = ${sql(NSPCC.description)},
       website = ${sql(NSPCC.website)} WHERE slug = 'nspcc';`,
    `UPDATE topic SET guidance_md = ${sql(GUIDANCE)} WHERE slug = 'online-abuse';`,
    `INSERT INTO help_channel (position, label, description, kind, value)
       VALUES (1000, ${sql(HELP.label)}, ${sql(HELP.description)}, 'web', ${sql(HELP.value)});`,
    'COMMIT;',
    `SELECT count(*) FROM organisation WHERE slug = ${sql(ORG.slug)};`,
  ];
  return lines.join('\n');
}

let dir, srv, browser, context;

before(async () => {
  dir = await tempDir('signpost-hostile-');
  const dbPath = path.join(dir.dir, 'signpost.db');
  const first = await startServer({ dbPath });
  await first.stop();
  const out = await sqlite(dbPath, hostileSql());
  assert.equal(out.trim(), '1', 'the hostile organisation was inserted');
  srv = await startServer({ dbPath });
  browser = await launch();
  // bypassCSP: the page's CSP would block injected inline script and
  // handlers anyway; without it, a dialog can only be kept away by the
  // escaping itself, which is what these tests are about.
  context = await newContext(browser, srv.base, { bypassCSP: true });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  await dir?.remove();
});

// Runs in the page: everything that could run script or link to it.
function auditDom() {
  const found = [];
  const scripts = [...document.querySelectorAll('script')];
  const risky = /^(javascript|vbscript|data):/i;
  // What a browser makes of a URL attribute: leading/trailing spaces and
  // controls trimmed, tabs and newlines removed.
  const norm = (v) => v.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const n = attr.name.toLowerCase();
      if (n.startsWith('on')) found.push(`<${el.localName} ${attr.name}="${attr.value}">`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data', 'poster'].includes(n)
          && risky.test(norm(attr.value))) {
        found.push(`<${el.localName} ${attr.name}="${attr.value}">`);
      }
    }
    if (['img', 'iframe', 'object', 'embed', 'frame', 'base', 'form'].includes(el.localName)
        && !(el.localName === 'form' && el.getAttribute('action') === '/organisations')) {
      found.push(`unexpected <${el.localName}>: ${el.outerHTML.slice(0, 120)}`);
    }
  }
  return {
    found,
    scripts: scripts.map((s) => ({ src: s.getAttribute('src'), exit: s.textContent.includes('data-exit'),
      parent: s.parentElement.localName })),
    javascriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
  };
}

// Loads path, mouses over and focuses everything, and checks nothing ran.
async function visit(path, status = 200) {
  const page = await context.newPage();
  const log = watch(page);
  const res = await page.goto(srv.base + path);
  assert.equal(res.status(), status, `GET ${path}`);
  // Mouse over and focus everything, in case a handler slipped through.
  await page.evaluate(() => {
    for (const el of document.body.querySelectorAll('*')) {
      el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      if (typeof el.focus === 'function') el.focus();
    }
  });
  await sleep(150);
  const audit = await page.evaluate(auditDom);
  assert.deepEqual(log.dialogs, [], `${path}: a dialog opened`);
  assert.deepEqual(log.errors, [], `${path}: page errors`);
  assert.deepEqual(audit.found, [], `${path}: script-capable markup`);
  assert.equal(audit.javascriptLinks, 0, `${path}: a[href^="javascript:" i]`);
  assert.deepEqual(audit.scripts, [{ src: null, exit: true, parent: 'body' }],
    `${path}: the only script is our inline exit script`);
  return { page, log, body: await page.textContent('body') };
}

describe('hostile records', () => {
  it('organisation page shows every hostile value as text', async () => {
    const { page, log, body } = await visit(`/organisations/${ORG.slug}`);
    try {
      assert.equal(await page.locator('h1').textContent(), ORG.name, 'h1 is the name, exactly');
      assert.equal(await page.locator('main p.lead').textContent(), ORG.summary, 'lead is the summary, exactly');
      assert.ok((await page.title()).startsWith(ORG.name), `title: ${await page.title()}`);
      assert.ok(body.includes(SCRIPT), 'the literal <script>alert(1)</script> is on the page');
      for (const text of [ORG.description, ORG.coverage, ORG.source,
        ...ORG.contacts.map((c) => c.label), ...ORG.resources.map((r) => r.name), ...ORG.resources.map((r) => r.summary)]) {
        assert.ok(body.includes(text), `the page shows ${JSON.stringify(text)}`);
      }
      // Unsafe URLs are not linked at all.
      const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const h of hrefs) {
        assert.ok(h === '#' || /^(\/(?!\/)|https?:\/\/|tel:|mailto:|sms:)/i.test(h), `unexpected link ${JSON.stringify(h)}`);
      }
      assert.ok(!hrefs.some((h) => h.startsWith('//')), 'no protocol-relative link');
      // Clicking the neutralised website link goes nowhere dangerous.
      await page.getByText(/^Visit the Zyxwv/).click();
      await sleep(200);
      assert.ok(page.url().startsWith(`${srv.base}/organisations/${ORG.slug}`), page.url());
      assert.deepEqual(log.dialogs, []);
    } finally {
      await page.close();
    }
  });

  it('an updated seeded organisation (NSPCC) shows its hostile values as text', async () => {
    const { page, body } = await visit('/organisations/nspcc');
    try {
      assert.equal(await page.locator('main p.lead').textContent(), NSPCC.summary);
      assert.ok(body.includes(SCRIPT));
      assert.equal(await page.locator('a', { hasText: /^Visit the NSPCC website$/ }).getAttribute('href'), '#');
    } finally {
      await page.close();
    }
  });

  it('results page lists the organisation found by search', async () => {
    const { page, body } = await visit('/organisations?q=Zyxwv');
    try {
      const cards = page.locator('ol.cards > li.card');
      assert.equal(await cards.count(), 1, 'the search finds it');
      assert.equal(await cards.locator('.card-title').textContent(), ORG.name);
      assert.equal(await cards.locator('.card-summary').textContent(), ORG.summary);
      assert.ok(body.includes(SCRIPT));
    } finally {
      await page.close();
    }
  });

  it('results page echoes a hostile query as text', async () => {
    const q = `${SCRIPT} ${IMG} ${ATTR}`;
    const { page, body } = await visit(`/organisations?q=${encodeURIComponent(q)}&audience=parents`);
    try {
      assert.equal(await page.locator('#q').inputValue(), q, 'the search box holds the query exactly');
      assert.equal(await page.locator('form.filters input[name="q"]').inputValue(), q, 'so does the hidden field');
      assert.ok((await page.locator('h1').textContent()).includes(q), 'the heading shows the query');
      assert.ok(body.includes(SCRIPT));
    } finally {
      await page.close();
    }
  });

  it('error page echoes a hostile filter value as text', async () => {
    const { page, body } = await visit(`/organisations?audience=${encodeURIComponent(SCRIPT)}`, 400);
    try {
      assert.ok(body.includes(SCRIPT), 'the unknown audience is named as text');
    } finally {
      await page.close();
    }
  });

  it('topic page: guidance Markdown carries no HTML or javascript: link', async () => {
    const { page, body } = await visit('/topics/online-abuse');
    try {
      const guidance = page.locator('.guidance');
      assert.equal(await guidance.locator('script, img, [onclick]').count(), 0);
      const linkX = guidance.locator('a', { hasText: /^x$/ });
      assert.equal(await linkX.count(), 1, 'the Markdown link is still a link');
      assert.doesNotMatch(await linkX.getAttribute('href'), /script:/i);
      assert.ok((await guidance.textContent()).includes(`${ATTR} plain text`));
      assert.ok(body.includes(SCRIPT), 'the hostile organisation\'s card shows its name as text');
      assert.equal(await page.locator('ol.cards .card-title', { hasText: 'Zyxwv' }).textContent(), ORG.name);
    } finally {
      await page.close();
    }
  });

  it('help page shows a hostile help channel as text, unlinked', async () => {
    const { page, body } = await visit('/help');
    try {
      assert.ok(body.includes(HELP.label) && body.includes(HELP.description));
      const link = page.locator('.help-item', { hasText: HELP.label }).locator('a');
      assert.equal(await link.getAttribute('href'), '#');
    } finally {
      await page.close();
    }
  });

  it('the JSON API gives every string back exactly', async () => {
    const res = await fetch(`${srv.base}/api/v1/organisations/${ORG.slug}`);
    assert.equal(res.status, 200);
    const o = await res.json();
    for (const key of ['name', 'summary', 'description', 'coverage', 'source']) {
      assert.equal(o[key], ORG[key], key);
    }
    // Web addresses come back only when they are well-formed http(s) URLs:
    // a client that links them must never be handed javascript: or junk.
    const web = (u) => (u && /^https?:\/\/[a-z0-9.-]+(?::\d+)?(?:[/?#][^\s"<>\\^`{|}]*)?$/i.test(u) ? u : null);
    assert.equal(o.website, web(ORG.website), 'website');
    assert.deepEqual(o.contacts.map(({ kind, label, value, hours }) => ({ kind, label, value, hours })), ORG.contacts);
    for (const c of o.contacts) {
      assert.ok(c.href === null || !/^\s*(java|vb)script:|^data:/i.test(c.href.replace(/[\t\n\r]/g, '')),
        `contact href ${JSON.stringify(c.href)} is not a script URL`);
    }
    assert.deepEqual(o.resources.map(({ name, url, summary }) => ({ name, url, summary })),
      ORG.resources.map(({ name, url, summary }) => ({ name, url: web(url), summary })));
    const n = await (await fetch(`${srv.base}/api/v1/organisations/nspcc`)).json();
    assert.equal(n.summary, NSPCC.summary);
    assert.equal(n.description, NSPCC.description);
    assert.equal(n.website, web(NSPCC.website));
    const t = await (await fetch(`${srv.base}/api/v1/topics/online-abuse`)).json();
    assert.equal(t.guidance_markdown, GUIDANCE);
    assert.doesNotMatch(t.guidance_html, /<script|<img|onerror|onclick|href="\s*javascript:/i);
  });

  it('the JSON API answer for it matches the OpenAPI document', async () => {
    for (const p of [`/api/v1/organisations/${ORG.slug}`, '/api/v1/help']) {
      const res = await fetch(srv.base + p);
      const text = await res.text();
      checkResponse('GET', p, res.status, res.headers.get('content-type'), text, res.headers);
    }
  });
});
