// The one browser harness, for the browser tests (../) and the embed tests
// (../../embed/, whose lib/harness.mjs adds only what is embed-specific):
// launching Debian's Chromium through playwright-core, contexts that let no
// request leave the machine, pages on a second loopback origin, the page
// types of the public site, and small helpers.
//
// Every context made by newContext() routes every request: those to the
// origins it is given go through, https://www.bbc.co.uk/weather (the
// quick-exit destination) is answered with a tiny stub page, and everything
// else is aborted and recorded in context.blocked (assertNothingBlocked()).
//
// A context is never shared between test files; within a file, tests may
// share one, but each test opens its own page, so a page's history (what
// Back goes to) is only what that test navigated. The Back tests rely on it.

import { chromium } from 'playwright-core';
import http from 'node:http';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { startServer } from '../../http/lib/server.mjs';

export { startServer, tempDir, REPO, BINARY } from '../../http/lib/server.mjs';

export const TESTS_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const OUT_DIR = path.join(TESTS_DIR, 'out');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const EXIT_URL = 'https://www.bbc.co.uk/weather';
// The stub's title is one no page of ours ever has: exit.js renames the page
// it hides to "BBC Weather" as it leaves, so a title check passes only once
// the stub (the destination) is showing in the top window. The two harnesses
// once disagreed here ("Weather" against "Weather stub"); see the quick-exit
// tests in ../../embed/widgets.test.mjs.
export const STUB_TITLE = 'Weather stub';
const STUB_HTML = `<!DOCTYPE html><html lang="en"><title>${STUB_TITLE}</title><p>Weather stub</p></html>`;

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Rules every axe run here also checks, beyond the WCAG tags (issue 13
// items 11 and 12): `region` (all content inside landmarks; a best practice,
// so no tag above runs it) and `aria-prohibited-attr` (in wcag2a, but axe
// reports an aria-label on an element that may not have one only as "needs
// review" when the element has text). Pass AXE_RULES to AxeBuilder's
// options() before withTags(); strictIncomplete(result) lists what these
// rules left for review, which the tests treat as a failure.
export const AXE_STRICT_RULES = ['region', 'aria-prohibited-attr'];
export const AXE_RULES = Object.fromEntries(AXE_STRICT_RULES.map((id) => [id, { enabled: true }]));
export function strictIncomplete(result) {
  return result.incomplete.filter((r) => AXE_STRICT_RULES.includes(r.id));
}

// Every page type of the public site: name (used in messages and file
// names), path, and the status it answers with.
export const PAGES = [
  { name: 'home', path: '/', status: 200 },
  { name: 'results', path: '/organisations', status: 200 },
  { name: 'results-filtered', path: '/organisations?q=bullying&audience=parents&topic=cyberbullying', status: 200 },
  { name: 'results-empty', path: '/organisations?q=zzqxjv', status: 200 },
  // What the search understood: a correction with the words as typed a link
  // away, the topic the words name; and urgent help first when asked for.
  { name: 'results-corrected', path: '/organisations?q=parental+contols', status: 200 },
  { name: 'results-urgent', path: '/organisations?q=in+danger', status: 200 },
  { name: 'error-400', path: '/organisations?audience=zzz', status: 400 },
  { name: 'organisation', path: '/organisations/nspcc', status: 200 },
  { name: 'topic', path: '/topics/online-abuse', status: 200 },
  { name: 'help', path: '/help', status: 200 },
  { name: 'about', path: '/about', status: 200 },
  { name: 'not-found', path: '/nope', status: 404 },
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// url: a string or a URL object (what waitForURL predicates receive).
export function isExitUrl(u) {
  const url = String(u);
  return url === EXIT_URL || url.startsWith(`${EXIT_URL}?`) || url.startsWith(`${EXIT_URL}/`) ||
    url.startsWith(`${EXIT_URL}#`);
}

// newContext(browser, origins, contextOptions) -> a fresh context with
// .blocked: every URL that was aborted because it was on none of origins (an
// origin or base address, or a list of them).
export async function newContext(browser, origins, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const allowed = new Set([origins].flat().map((o) => new URL(o).origin));
  const blocked = [];
  context.blocked = blocked;
  await context.route(() => true, (route) => {
    const url = route.request().url();
    if (isExitUrl(url)) {
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: STUB_HTML });
    }
    let origin = null;
    try { origin = new URL(url).origin; } catch { /* not a URL we allow */ }
    if (allowed.has(origin)) return route.fallback();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  return context;
}

export function assertNothingBlocked(context) {
  assert.deepEqual(context.blocked, [], 'requests to hosts other than the test servers');
}

// startSite(contextOptions) -> {srv, browser, context, close}: the real binary
// on a fresh database, Chromium, and one context allowed to reach the server,
// for a test file whose tests each open their own page. Cleans up after
// itself if any step fails.
export async function startSite(contextOptions = {}) {
  const srv = await startServer();
  let browser;
  try {
    browser = await launch();
    const context = await newContext(browser, srv.base, contextOptions);
    return { srv, browser, context, close: async () => { await browser.close(); await srv.stop(); } };
  } catch (err) {
    await browser?.close();
    await srv.stop();
    throw err;
  }
}

// Records dialogs (dismissing them), page errors, console errors and console
// warnings of a page, so that a test can assert there were none. Console
// lines read "type: text (script url)".
export function watch(page) {
  const log = { dialogs: [], errors: [], console: [], warnings: [] };
  page.on('dialog', (d) => { log.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => { log.errors.push(String(e && e.stack || e)); });
  page.on('console', (m) => {
    const line = `${m.type()}: ${m.text()} (${m.location()?.url || ''})`;
    if (m.type() === 'error') log.console.push(line);
    else if (m.type() === 'warning') log.warnings.push(line);
  });
  return log;
}

// Polls fn until it returns a truthy value; returns that value, or throws
// with the last value seen after timeout ms.
export async function until(fn, { timeout = 10_000, interval = 50, message = 'condition' } = {}) {
  const start = Date.now();
  let last, lastErr;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() - start > timeout) {
      throw new Error(`timed out after ${timeout} ms waiting for ${message}; last value: ` +
        `${JSON.stringify(last)}${lastErr ? `; last error: ${lastErr.message}` : ''}`);
    }
    await sleep(interval);
  }
}

// startHost(handler) -> {origin, port, close, requests}: a tiny node:http
// server on another loopback port, which is another origin (a council's
// site framing or embedding ours). handler(req, url) returns a string (an
// HTML page), {status, type, body, headers}, or null for 404.
export function startHost(handler) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://host.invalid');
    requests.push(req.url);
    let out;
    try {
      out = await handler(req, url);
    } catch (err) {
      out = { status: 500, type: 'text/plain', body: String(err && err.stack || err) };
    }
    if (out == null) out = { status: 404, type: 'text/plain', body: 'not found' };
    if (typeof out === 'string') out = { body: out };
    res.writeHead(out.status || 200, {
      'content-type': out.type || 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...(out.headers || {}),
    });
    res.end(out.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        port,
        requests,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

// frameOf(page, selector) -> {el, frame}: the iframe element selector names,
// once it is in the document, and the frame it shows.
export async function frameOf(page, selector) {
  const el = await page.waitForSelector(selector, { state: 'attached' });
  const frame = await until(() => el.contentFrame(), { message: `the frame of ${selector}` });
  return { el, frame };
}

// Whether a frame shows a Signpost page (its exit link): false for Chromium's
// error page for a refused frame, or for a frame that cannot be read.
export async function showsSignpost(frame) {
  if (!frame) return false;
  try {
    if (frame.url().startsWith('chrome-error:')) return false;
    return await frame.evaluate(() => !!document.querySelector('[data-exit]'));
  } catch {
    return false;
  }
}

// Runs the sqlite3 command-line shell on db with sql on its standard input.
export function sqlite(db, sql) {
  return new Promise((resolve, reject) => {
    const child = execFile('sqlite3', ['-bail', db], (err, stdout, stderr) => {
      if (err) reject(new Error(`sqlite3 failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin.end(sql);
  });
}

// axe's violations as text for an assertion message; a node's target is a
// list of selectors when it is inside a frame.
export function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => `      ${JSON.stringify(n.target)}\n        ` +
      `${(n.failureSummary || '').replace(/\n/g, '\n        ')}`);
    return `  ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
  }).join('\n');
}
