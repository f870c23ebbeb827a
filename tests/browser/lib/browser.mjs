// Shared pieces of the browser tests: launching Debian's Chromium through
// playwright-core, contexts that let no request leave the machine, the page
// types of the public site, and small helpers.
//
// Every context made by newContext() routes every request: those to the
// server under test (and to any extra origin a test allows) go through,
// https://www.bbc.co.uk/weather (the quick-exit destination) is answered with
// a tiny stub page, and everything else is aborted and recorded.

import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { startServer, tempDir, REPO, BINARY } from '../../http/lib/server.mjs';

export const TESTS_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const OUT_DIR = path.join(TESTS_DIR, 'out');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const EXIT_URL = 'https://www.bbc.co.uk/weather';
export const STUB_TITLE = 'Weather';
const STUB_HTML = `<!DOCTYPE html><html lang="en"><title>${STUB_TITLE}</title><p>Weather stub</p></html>`;

// Every page type of the public site: name (used in messages and file
// names), path, and the status it answers with.
export const PAGES = [
  { name: 'home', path: '/', status: 200 },
  { name: 'results', path: '/organisations', status: 200 },
  { name: 'results-filtered', path: '/organisations?q=bullying&audience=parents&topic=cyberbullying', status: 200 },
  { name: 'results-empty', path: '/organisations?q=zzqxjv', status: 200 },
  { name: 'error-400', path: '/organisations?audience=zzz', status: 400 },
  { name: 'organisation', path: '/organisations/nspcc', status: 200 },
  { name: 'topic', path: '/topics/online-abuse', status: 200 },
  { name: 'help', path: '/help', status: 200 },
  { name: 'about', path: '/about', status: 200 },
  { name: 'not-found', path: '/nope', status: 404 },
];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// newContext(browser, base, {allow: [origins], ...contextOptions})
//   -> context with .blocked (the URLs that were aborted)
export async function newContext(browser, base, options = {}) {
  const { allow = [], ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  const allowed = new Set([new URL(base).origin, ...allow.map((o) => new URL(o).origin)]);
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

// url: a string or a URL object (what waitForURL predicates receive).
export function isExitUrl(u) {
  const url = String(u);
  return url === EXIT_URL || url.startsWith(`${EXIT_URL}?`) || url.startsWith(`${EXIT_URL}/`) ||
    url.startsWith(`${EXIT_URL}#`);
}

// Records dialogs (dismissing them), page errors and console errors and
// warnings of a page, so that a test can assert there were none.
export function watch(page) {
  const log = { dialogs: [], errors: [], console: [] };
  page.on('dialog', (d) => { log.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => { log.errors.push(String(e && e.stack || e)); });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.console.push(`${m.type()}: ${m.text()}`);
  });
  return log;
}

export async function scratchDir(prefix = 'signpost-browser-') {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
