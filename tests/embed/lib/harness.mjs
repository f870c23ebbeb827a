// Shared pieces of the embed tests.
//
// Signpost itself runs through ../../http/lib/server.mjs. Because the embed
// code, the oEmbed answers and every absolute link carry the site's public
// address, each server here is started on a port chosen beforehand, with
// --public-url http://127.0.0.1:PORT, so that the address is the real one.
//
// The pages that embed Signpost ("host pages", standing for a council's
// website) come from tiny node:http servers on other loopback ports: another
// port is another origin.
//
// Every browser context routes every request: requests to the origins a test
// names go through, the quick-exit destination is answered with a stub, and
// anything else is aborted and recorded in context.blocked, which
// assertNothingBlocked() turns into a failure.

import { chromium } from 'playwright-core';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { execFile } from 'node:child_process';
import assert from 'node:assert/strict';
import { startServer, tempDir } from '../../http/lib/server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const EXIT_URL = 'https://www.bbc.co.uk/weather';
export const STUB_TITLE = 'Weather stub';
const STUB_HTML = `<!DOCTYPE html><html lang="en"><title>${STUB_TITLE}</title><p>Weather stub</p></html>`;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A TCP port that was free a moment ago on 127.0.0.1.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// startSignpost({dbPath, embedOrigins, keepDb}) -> {base, port, dbPath, dir, stop, stderr}
// Starts the real binary on a pre-chosen port with a matching --public-url.
// Without dbPath, the database is a fresh one in a temporary directory that
// stop() removes (unless keepDb).
export async function startSignpost(options = {}) {
  let own = null;
  let dbPath = options.dbPath;
  if (!dbPath) {
    own = await tempDir('signpost-embed-');
    dbPath = path.join(own.dir, 'signpost.db');
  }
  let lastErr;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const args = ['serve', '--port', String(port), '--bind', '127.0.0.1', '--db', dbPath,
      '--public-url', base, '--access-log', 'off'];
    if (options.embedOrigins) args.push('--embed-origins', options.embedOrigins);
    try {
      const srv = await startServer({ dbPath, args });
      assert.equal(srv.base, base, 'the server listens on the port it was given');
      const stop = async () => {
        try {
          await srv.stop();
        } finally {
          if (own && !options.keepDb) await own.remove();
        }
      };
      return { ...srv, base, port, dbPath, dir: path.dirname(dbPath), stop };
    } catch (err) {
      lastErr = err; // most likely the port was taken in between: try another
    }
  }
  if (own) await own.remove();
  throw lastErr;
}

// startHost(handler) -> {origin, port, close, requests}
// handler(req, url) returns a string (an HTML page), {status, type, body,
// headers}, or null for 404.
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

// A small, valid, accessible HTML page for a host site.
export function hostPage(title, body, head = '') {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${head}</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export function isExitUrl(u) {
  const url = String(u);
  return url === EXIT_URL || url.startsWith(`${EXIT_URL}?`) || url.startsWith(`${EXIT_URL}/`) ||
    url.startsWith(`${EXIT_URL}#`);
}

// newContext(browser, [origins allowed], contextOptions) -> context with
// .blocked: every URL that was aborted because it was on no allowed origin.
export async function newContext(browser, allow, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const allowed = new Set(allow.map((o) => new URL(o).origin));
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

// Records dialogs (dismissing them), page errors and console errors.
export function watch(page) {
  const log = { dialogs: [], errors: [], console: [] };
  page.on('dialog', (d) => { log.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => { log.errors.push(String(e && e.stack || e)); });
  page.on('console', (m) => {
    if (m.type() === 'error') log.console.push(`${m.type()}: ${m.text()} (${m.location()?.url || ''})`);
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

// The organisation names of the JSON API for a filter, in order.
export async function apiNames(base, params) {
  const res = await fetch(`${base}/api/v1/organisations?${new URLSearchParams(params)}`);
  assert.equal(res.status, 200, `API ${JSON.stringify(params)}`);
  const body = await res.json();
  return body.items.map((o) => o.name);
}

// The organisation names shown by an embedded listing (a Playwright Frame or
// Page): the link text without the visually hidden "(opens in a new tab)".
export function listedNames(frame) {
  return frame.$$eval('.sp-list .sp-name', (els) => els.map((a) => {
    const clone = a.cloneNode(true);
    clone.querySelectorAll('.sp-hidden').forEach((s) => s.remove());
    return clone.textContent.trim();
  }));
}

// Whether a frame shows a Signpost page (false for Chromium's error page for
// a refused frame, or for a frame that cannot be read).
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

export function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => `      ${JSON.stringify(n.target)}\n        ` +
      `${(n.failureSummary || '').replace(/\n/g, '\n        ')}`);
    return `  ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
  }).join('\n');
}

// Decodes the few entities our templates and oEmbed html produce.
export function unescapeHtml(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
