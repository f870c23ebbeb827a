// The curators' console in real Chromium, as a safeguarding officer who has
// never seen a terminal would use it: an invitation followed to a password
// and an authenticator app (the codes computed here from the secret the
// page shows), sign-in and an edit with the keyboard only, the edit seen on
// the public page, two curators editing the same record at once (the
// second gets the conflict page and loses nothing), a report resolved; and
// on every console page axe (WCAG 2.2 A and AA) and the Nu HTML Checker
// find nothing, at 320 px too.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import {
  AXE_TAGS, AXE_RULES, BINARY, launch, newContext, startServer, strictIncomplete, tempDir,
  describeViolations, watch,
} from './lib/browser.mjs';
import { base32Decode, totp, enrolAndSignIn } from '../curation/lib/console.mjs';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));
const EMAIL = 'priya@safeguarding.example';
const PASSWORD = 'harbour nettle saucepan glow';

let srv, tmp, db, browser, context, page, log;
const checked = [];   // {name, html} of every console page seen

before(async () => {
  tmp = await tempDir('signpost-console-browser-');
  db = path.join(tmp.dir, 'console.db');
  srv = await startServer({ dbPath: db, args: ['serve', '--port', '0', '--bind', '127.0.0.1',
    '--db', db, '--access-log', 'off'] });
  browser = await launch();
  context = await newContext(browser, srv.base, { viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  log = watch(page);
});
after(async () => { await browser?.close(); await srv?.stop(); await tmp?.remove(); });

// Runs axe on the page as it is, and keeps its HTML for the Nu checker.
async function check(name, p = page, html = null) {
  const result = await new AxeBuilder({ page: p }).options({ rules: AXE_RULES }).withTags(AXE_TAGS).analyze();
  assert.equal(result.violations.length, 0, `${name}: ${describeViolations(result.violations)}`);
  assert.deepEqual(strictIncomplete(result), [], `${name}: ${describeViolations(strictIncomplete(result))}`);
  assert.ok(result.passes.length > 10, `axe ran on ${name}`);
  checked.push({ name, html: html ?? await p.content() });
}

// Moves focus with Tab (at most 80 presses) until the element matching
// selector has it: what a keyboard user does.
async function tabTo(selector, p = page) {
  for (let i = 0; i < 80; i++) {
    await p.keyboard.press('Tab');
    if (await p.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

function invite(email, name, role) {
  const r = spawnSync(BINARY, ['user', 'create', '--email', email, '--name', name, '--role', role,
    '--db', db, '--public-url', srv.base], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

let secret;

describe('the console in a browser', () => {
  it('an invitation leads to a password, an authenticator app and recovery codes', async () => {
    const link = invite(EMAIL, 'Priya Shah', 'admin');
    const res = await page.goto(link);
    assert.equal(res.status(), 200);
    await check('invitation: password', page, await res.text());
    await page.fill('#password', 'password1234');
    await page.fill('#confirm', 'password1234');
    await page.click('button[type=submit]');
    assert.match(await page.title(), /^Error: /);
    assert.ok(await page.locator('.error-summary').isVisible());
    await check('invitation: password refused');
    await page.fill('#password', PASSWORD);
    await page.fill('#confirm', PASSWORD);
    await page.click('button[type=submit]');
    assert.ok(await page.locator('svg[role=img]').isVisible(), 'the QR code');
    await check('invitation: second factor');
    secret = base32Decode(await page.locator('#secret code').innerText());
    await page.fill('#code', totp(secret));
    await page.click('button[type=submit]');
    assert.equal(await page.locator('.codes code').count(), 10);
    await check('invitation: recovery codes');
  });

  it('signing in takes the keyboard only', async () => {
    const res = await page.goto(srv.base + '/console/sign-in');
    await check('sign in', page, await res.text());
    await tabTo('#email');
    await page.keyboard.type(EMAIL);
    await tabTo('#password');
    await page.keyboard.type(PASSWORD);
    await tabTo('#code');
    await page.keyboard.type(totp(secret, 1));
    await page.keyboard.press('Enter');
    await page.waitForURL(srv.base + '/console');
    assert.match(await page.locator('h1').innerText(), /Dashboard/);
    const cookies = await context.cookies(srv.base + '/console');
    const c = cookies.find((x) => x.name === 'signpost_console');
    assert.ok(c && c.httpOnly && c.secure && c.sameSite === 'Strict', JSON.stringify(cookies));
    assert.deepEqual(await context.cookies(srv.base + '/'), [], 'nothing for the public site');
    await check('dashboard');
  });

  it("an edit with the keyboard only shows on the public page", async () => {
    await page.goto(srv.base + '/console/organisations');
    await check('organisations');
    await page.goto(srv.base + '/console/organisations/nspcc');
    await check('edit');
    await tabTo('#summary');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Helps adults worried about a child, and runs the NSPCC Helpline.');
    await tabTo('form[action="/console/organisations/nspcc"] button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/organisations\/nspcc\?saved=1$/);
    assert.ok(await page.locator('.notice[role=status]').isVisible());
    await check('edit: saved');
    const pub = await (await fetch(srv.base + '/organisations/nspcc')).text();
    assert.ok(pub.includes('Helps adults worried about a child, and runs the NSPCC Helpline.'));
  });

  it('errors are summarised, linked to their fields and shown beside them', async () => {
    await page.goto(srv.base + '/console/organisations/childline');
    await page.fill('#name', '');
    await page.fill('#contact_0_value', 'call us');
    await page.click('form[action="/console/organisations/childline"] button[type=submit]');
    const summary = page.locator('.error-summary');
    assert.ok(await summary.isVisible());
    await check('edit: errors');
    await summary.locator('a[href="#contact_0_value"]').click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'contact_0_value',
      'the summary link takes focus to the field');
    assert.equal(await page.inputValue('#contact_0_value'), 'call us', 'what was typed is kept');
  });

  it('two curators at once: the second chooses, and nothing is lost', async () => {
    const other = await enrolAndSignIn(srv.base, db, 'tom@safeguarding.example', 'Tom Reid', 'editor', 'violet anchor meadow lamp');
    const second = await newContext(browser, srv.base, { viewport: { width: 320, height: 800 } });
    await second.addCookies([{ name: 'signpost_console', value: other.cookie, url: srv.base + '/console' }]);
    const p2 = await second.newPage();
    await p2.goto(srv.base + '/console/organisations/childnet');
    await page.goto(srv.base + '/console/organisations/childnet');
    await page.fill('#summary', 'Summary from Priya.');
    await page.click('form[action="/console/organisations/childnet"] button[type=submit]');
    await page.waitForURL(/saved=1$/);
    await p2.fill('#summary', 'Summary from Tom.');
    await p2.fill('#coverage', 'UK-wide');
    await p2.click('form[action="/console/organisations/childnet"] button[type=submit]');
    assert.match(await p2.locator('h1').innerText(), /Someone else changed/);
    assert.match(await p2.locator('.notice').innerText(), /priya@safeguarding\.example saved a change/);
    await check('conflict (320 px)', p2);
    await p2.check('#choose_summary-theirs');
    await p2.click('form[action="/console/organisations/childnet"] button[type=submit]');
    await p2.waitForURL(/saved=1$/);
    const api = await (await fetch(srv.base + '/api/v1/organisations/childnet')).json();
    assert.equal(api.summary, 'Summary from Priya.');
    assert.equal(api.coverage, 'UK-wide', "Tom's other change kept");
    await second.close();
  });

  it('history shows the change, and a report is resolved', async () => {
    await page.goto(srv.base + '/console/organisations/childnet/history');
    assert.match(await page.locator('main').innerText(), /Edited by tom@safeguarding\.example/);
    await check('history');
    const pub = await context.newPage();
    await pub.goto(srv.base + '/organisations/childnet/report');
    await pub.check('input[name=what][value=website]');
    await pub.fill('textarea[name=details]', 'The link to their advice does not open.');
    await pub.click('form button[type=submit]');
    await pub.close();
    await page.goto(srv.base + '/console/reports');
    await check('reports');
    await page.click('a[href^="/console/reports/"]');
    await check('report');
    await page.fill('#note', 'Opened childnet.com: the advice page works.');
    await page.click('button:has-text("Resolve the report")');
    await page.waitForURL(/resolved=\d+$/);
    assert.match(await page.locator('.notice').innerText(), /is resolved/);
  });

  it('people, the audit log and messages are accessible too', async () => {
    await page.goto(srv.base + '/console/people');
    await check('people');
    await page.fill('#email', 'sam@safeguarding.example');
    await page.fill('#name', 'Sam Okafor');
    await page.click('form[action="/console/people"] button[type=submit]');
    assert.match(await page.locator('.secret code').innerText(), /\/console\/invitation\//);
    await check('invited');
    await page.goto(srv.base + '/console/audit');
    await check('audit');
    const res = await page.goto(srv.base + '/console/organisations/no-such-place');
    assert.equal(res.status(), 404);
    await check('not found');
    assert.deepEqual(log.errors, []);
    // A 4xx page is what was asked for; nothing else may be logged.
    assert.deepEqual(log.console.filter((l) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(l)), []);
  });

  it('resources, the taxonomy with a guidance preview, and an import with errors', async () => {
    await page.goto(srv.base + '/console/resources/nspcc-online-safety-advice');
    await check('resource');
    await page.goto(srv.base + '/console/taxonomy');
    await check('taxonomy');
    await page.goto(srv.base + '/console/topics/cyberbullying');
    await page.fill('#guidance_markdown', '## Now\n\nTalk to someone you **trust**.');
    await page.click('button[name=preview]');
    assert.equal(await page.locator('.preview-body h2').innerText(), 'Now');
    await check('topic: preview');
    await page.goto(srv.base + '/console/exchange');
    await check('import and export');
    const exported = await (await page.request.get(srv.base + '/console/exchange/directory.json')).json();
    exported.organisations[0].name = '';
    exported.organisations[2].website = 'not a web address';
    const before = await (await fetch(srv.base + '/api/v1/organisations')).text();
    await page.setInputFiles('#file', { name: 'edited.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)) });
    await page.click('button:has-text("Check the file")');
    assert.match(await page.locator('h1').innerText(), /edited\.json has 2 problems/);
    assert.equal(await page.locator('.problems li').count(), 2, 'every error listed');
    await check('import: errors');
    assert.equal(await (await fetch(srv.base + '/api/v1/organisations')).text(), before, 'nothing changed');
  });

  it('at 320 px nothing is wider than the screen', async () => {
    const narrow = await newContext(browser, srv.base, { viewport: { width: 320, height: 800 } });
    await narrow.addCookies(await context.cookies(srv.base + '/console'));
    const p = await narrow.newPage();
    for (const path of ['/console', '/console/organisations/nspcc', '/console/reports', '/console/people',
      '/console/sign-in', '/console/taxonomy', '/console/topics/cyberbullying', '/console/exchange',
      '/console/resources/nspcc-online-safety-advice', '/console/organisations/nspcc/history']) {
      await p.goto(srv.base + path);
      const wide = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 320, `${path} is ${wide} px wide`);
    }
    await narrow.close();
  });

  it('the Nu HTML Checker finds no error in any console page', async () => {
    const scratch = await tempDir('signpost-console-vnu-');
    try {
      const files = [];
      for (const [i, c] of checked.entries()) {
        const f = path.join(scratch.dir, `${i}-${c.name.replace(/[^a-z0-9]+/gi, '-')}.html`);
        await writeFile(f, c.html.startsWith('<!') ? c.html : `<!doctype html>\n${c.html}`);
        files.push(f);
      }
      assert.ok(files.length >= 15, `${files.length} pages`);
      const report = await new Promise((resolve, reject) => {
        execFile('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files],
          { maxBuffer: 64 * 1024 * 1024 }, (err, _out, stderr) => {
            if (err && typeof err.code !== 'number') return reject(err);
            try { resolve(JSON.parse(stderr)); } catch (e) { reject(new Error(`${e.message}\n${stderr}`)); }
          });
      });
      const errors = report.messages.filter((m) => m.type === 'error')
        .map((m) => `${path.basename(fileURLToPath(m.url))}:${m.lastLine}: ${m.message}`);
      assert.deepEqual(errors, []);
    } finally {
      await scratch.remove();
    }
  });
});
