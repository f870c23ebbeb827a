// 2. The Nu HTML Checker (vnu.jar) finds no error in any page type's HTML.
// Every page is fetched with fetch(), saved to a temporary directory and
// checked in one run of the checker.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { PAGES, startServer, tempDir } from './lib/browser.mjs';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));

let srv, scratch;
const messagesByFile = new Map();   // file path -> [messages]
const fileOf = new Map();           // page name -> file path

function runVnu(files) {
  return new Promise((resolve, reject) => {
    execFile('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        // vnu exits 1 when it reports errors; its JSON is on stderr.
        if (err && typeof err.code !== 'number') return reject(err);
        try {
          resolve(JSON.parse(stderr));
        } catch (e) {
          reject(new Error(`vnu did not print JSON (exit ${err ? err.code : 0}): ${e.message}\n${stderr}\n${stdout}`));
        }
      });
  });
}

before(async () => {
  srv = await startServer();
  scratch = await tempDir('signpost-vnu-');
  for (const p of PAGES) {
    const res = await fetch(srv.base + p.path);
    assert.equal(res.status, p.status, `GET ${p.path}`);
    assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8$/i);
    const file = path.join(scratch.dir, `${p.name}.html`);
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    fileOf.set(p.name, file);
  }
  const report = await runVnu([...fileOf.values()]);
  for (const m of report.messages) {
    // vnu names files "file:/tmp/x.html"; compare paths, not URL spellings.
    let key = m.url || '';
    try { key = fileURLToPath(key); } catch { /* not a file URL: kept as is */ }
    if (!messagesByFile.has(key)) messagesByFile.set(key, []);
    messagesByFile.get(key).push(m);
  }
});
after(async () => {
  await scratch?.remove();
  await srv?.stop();
});

describe('Nu HTML Checker', () => {
  it('checked every file (no message about a file it could not read)', () => {
    const known = new Set(fileOf.values());
    const stray = [...messagesByFile.entries()].filter(([url]) => !known.has(url));
    assert.deepEqual(stray.map(([url, ms]) => `${url}: ${ms.map((m) => m.message).join('; ')}`), []);
  });
  for (const p of PAGES) {
    it(`${p.name} (${p.path}) has no errors`, () => {
      const msgs = messagesByFile.get(fileOf.get(p.name)) || [];
      assert.equal(msgs.length, 0, `${p.path}: ${msgs.length} error(s):\n` + msgs.map((m) =>
        `  line ${m.lastLine}:${m.firstColumn ?? ''}-${m.lastColumn ?? ''} ${m.type}${m.subType ? `/${m.subType}` : ''}: ${m.message}\n    ${(m.extract || '').replace(/\n/g, '⏎')}`).join('\n'));
    });
  }
});
