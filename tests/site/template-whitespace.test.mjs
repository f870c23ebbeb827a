// No line of HTML ends in whitespace (issue 13 item 14, html-validate's
// no-trailing-whitespace): neither a line of a template in server/templates,
// nor a line of any page the site or the embeds serve. The template engine
// keeps a tag's indentation, so a section tag alone on an indented line
// ("  {{#items}}") leaves that indentation at the end of a served line: the
// templates put such tags at the end of the line before, or at the start of
// a line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer, REPO } from '../http/lib/server.mjs';

const TEMPLATES = path.join(REPO, 'server/templates');

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

// The lines of text that end in a space or a tab, as "line N: ...".
function trailing(text) {
  return text.split('\n').flatMap((line, i) =>
    /[ \t]$/.test(line.replace(/\r$/, '')) ? [`line ${i + 1}: ${JSON.stringify(line.slice(-60))}`] : []);
}

test('no line of a template ends in a space or a tab', async () => {
  const files = (await readdir(TEMPLATES)).filter((f) => f.endsWith('.html'));
  assert.ok(files.length >= 15, `templates found in ${TEMPLATES}: ${files}`);
  const problems = [];
  for (const f of files) {
    const text = await readFile(path.join(TEMPLATES, f), 'utf8');
    for (const p of trailing(text)) problems.push(`${f} ${p}`);
    // Indentation followed by a section, inverted section, end of section
    // or comment: rendered, the indentation ends the line.
    text.split('\n').forEach((line, i) => {
      if (/^[ \t]+\{\{[#^/!]/.test(line)) problems.push(`${f} line ${i + 1}: indented tag ${JSON.stringify(line.trim().slice(0, 50))}`);
    });
  }
  assert.deepEqual(problems, []);
});

// Every page type of the site and the embeds, in the states that switch
// sections on and off (results, no results, a correction, urgent help
// first, an error; a listing and an organisation with and without phones).
const PAGES = [
  '/', '/organisations', '/organisations?q=bullying&audience=parents&topic=cyberbullying',
  '/organisations?q=zzqxjv', '/organisations?q=parental+contols', '/organisations?q=in+danger',
  '/organisations?audience=zzz', '/organisations/nspcc', '/organisations/ceop',
  '/organisations/nspcc/report', '/topics/online-abuse', '/topics/cyberbullying', '/help', '/about',
  '/nope', '/embed', '/embed?audience=parents&topic=cyberbullying&q=help&limit=3',
  '/embed/organisations', '/embed/organisations?q=zzqxjv', '/embed/organisations?q=parental+contols',
  '/embed/organisations?audience=zzz', '/embed/organisations/nspcc', '/embed/organisations/no-such-org',
  '/embed/organisations.html', '/embed/organisations.html?q=zzqxjv', '/embed/organisations.html?audience=zzz',
];

test('no line of a served page ends in a space or a tab', async () => {
  const problems = [];
  for (const p of PAGES) {
    const res = await fetch(server.base + p);
    assert.match(res.headers.get('content-type'), /^text\/html/, `${p}: HTML`);
    for (const line of trailing(await res.text())) problems.push(`${p} ${line}`);
  }
  assert.deepEqual(problems, [], `${problems.length} lines end in whitespace`);
});

test('the report form, sent with a problem, has no line ending in whitespace', async () => {
  const res = await fetch(server.base + '/organisations/nspcc/report', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin',
      origin: server.base },
    body: 'what=&details=',
  });
  assert.ok(res.status < 500, `status ${res.status}`);
  assert.deepEqual(trailing(await res.text()), []);
});
