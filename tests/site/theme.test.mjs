// An operator's theme: templates and CSS from a directory replace the
// compiled-in ones, the Content-Security-Policy follows the new CSS, and a
// broken template stops the server at start with the file and line named.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer, tempDir, REPO, BINARY } from '../http/lib/server.mjs';

const { dir, remove } = await tempDir('signpost-theme-');
const theme = path.join(dir, 'theme');
await mkdir(path.join(theme, 'templates'), { recursive: true });
const home = await readFile(path.join(REPO, 'server/templates/home.html'), 'utf8');
await writeFile(path.join(theme, 'templates/home.html'),
  home.replace('<h1>Find support for online safety</h1>',
    '<h1>Find support for online safety</h1>\n<p class="council">Derby City Council</p>'));
const css = 'body{font-family:serif;color:#111}\n';
await writeFile(path.join(theme, 'site.css'), css);

const server = await startServer({ dbPath: path.join(dir, 'db.sqlite'),
  args: ['serve', '--port', '0', '--bind', '127.0.0.1', '--db', path.join(dir, 'db.sqlite'),
    '--theme', theme] });
after(async () => { await server.stop(); await remove(); });

test('a theme template replaces the compiled-in one', async () => {
  const res = await fetch(server.base + '/');
  const html = await res.text();
  assert.equal(res.status, 200);
  assert.match(html, /<p class="council">Derby City Council<\/p>/);
});

test('other templates keep the compiled-in version', async () => {
  const html = await (await fetch(server.base + '/about')).text();
  assert.match(html, /About Signpost/);
});

test('the theme CSS is inlined and allowed by its own hash', async () => {
  const res = await fetch(server.base + '/help');
  const html = await res.text();
  assert.ok(html.includes(`<style>${css}</style>`));
  const hash = createHash('sha256').update(css).digest('base64');
  assert.ok(res.headers.get('content-security-policy').includes(`'sha256-${hash}'`));
});

test('a broken template stops the start, naming the template and line', async () => {
  const bad = path.join(dir, 'bad');
  await mkdir(path.join(bad, 'templates'), { recursive: true });
  await writeFile(path.join(bad, 'templates/help.html'), '<h1>Help</h1>\n{{#help}}\n<p>{{label}}</p>\n');
  const run = spawnSync(BINARY, ['serve', '--port', '0', '--bind', '127.0.0.1', '--db',
    path.join(dir, 'db2.sqlite'), '--theme', bad], { encoding: 'utf8', timeout: 10000 });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /template help, line 2: section \{\{#help\}\} is never closed/);
});
