// What only the embed tests need; the browser, contexts, second-origin host
// servers and the other helpers come from the one browser harness,
// ../../browser/lib/browser.mjs.
//
// Signpost itself runs through ../../http/lib/server.mjs. Because the embed
// code, the oEmbed answers and every absolute link carry the site's public
// address, each server here is started on a port chosen beforehand, with
// --public-url http://127.0.0.1:PORT, so that the address is the real one.
//
// The pages that embed Signpost ("host pages", standing for a council's
// website) are hostPage()s served by startHost() on other loopback ports:
// another port is another origin.

import net from 'node:net';
import path from 'node:path';
import assert from 'node:assert/strict';
import { startServer, tempDir } from '../../browser/lib/browser.mjs';

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

// Decodes the few entities our templates and oEmbed html produce.
export function unescapeHtml(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
