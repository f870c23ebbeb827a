// People and tokens in the console, for admins: inviting (errors beside
// fields, the link shown once and working), changing a role, disabling
// (which ends the person's sessions) and enabling, a new invitation, never
// one's own account, and revoking an API token; each in the audit log.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BINARY } from '../http/lib/server.mjs';
import { sql } from '../http/lib/api.mjs';
import { startConsole, enrolAndSignIn, csrfOf } from './lib/console.mjs';

let server, tmp, db, web, admin, editor;
const jar = (who) => ({ Cookie: `signpost_console=${who.cookie}` });

before(async () => {
  ({ server, tmp, db, web } = await startConsole('signpost-console-people-'));
  admin = await enrolAndSignIn(server.base, db, 'ada@partnership.example', 'Ada Osei', 'admin', 'marble lantern thistle');
  editor = await enrolAndSignIn(server.base, db, 'ed@partnership.example', 'Ed Brooks', 'editor', 'quiet ferry compass');
});
after(async () => { await server?.stop(); await tmp?.remove(); });

async function csrf(who) {
  return csrfOf(await (await web.get('/console', jar(who))).text());
}
const audit = () => sql(db, 'SELECT actor, event, subject, detail FROM audit ORDER BY pk');

describe('people in the console', () => {
  it('is for admins only', async () => {
    const r = await web.get('/console/people', jar(editor));
    assert.equal(r.status, 403);
    assert.match(await r.text(), /Only admins can manage people/);
    assert.equal((await web.post('/console/people', { csrf: await csrf(editor), email: 'x@y.example', name: 'X', role: 'admin' }, jar(editor))).status, 403);
    assert.equal((await web.get('/console/people')).status, 303);
  });

  it('lists everyone with role, state and last sign-in', async () => {
    const html = await (await web.get('/console/people', jar(admin))).text();
    assert.match(html, /<td data-label="Name">Ed Brooks<\/td><td data-label="Email address">ed@partnership\.example<\/td><td data-label="Role">editor<\/td>/);
    assert.match(html, /This is you/);
    assert.match(html, /<td data-label="Last signed in">\d{4}-\d\d-\d\dT[\d:]+Z<\/td>/, 'last sign-in');
  });

  it('an invitation with errors says so beside the fields, keeping what was typed', async () => {
    const r = await web.post('/console/people', { csrf: await csrf(admin), email: 'not an address', name: '', role: 'owner' }, jar(admin));
    assert.equal(r.status, 400);
    const html = await r.text();
    for (const f of ['email', 'name', 'role']) assert.match(html, new RegExp(`<a href="#${f}">`), f);
    assert.match(html, /value="not an address"/);
    const dup = await web.post('/console/people', { csrf: await csrf(admin), email: 'ed@partnership.example', name: 'Ed', role: 'editor' }, jar(admin));
    assert.equal(dup.status, 400);
    assert.match(await dup.text(), /has an account with this address already/);
  });

  it('an invitation shows its link once, and the link works', async () => {
    const r = await web.post('/console/people', { csrf: await csrf(admin), email: 'new@partnership.example', name: 'Nia New', role: 'editor' }, jar(admin));
    assert.equal(r.status, 200);
    const html = await r.text();
    const link = /<code>(http[^<]+\/console\/invitation\/[A-Za-z0-9_-]{43})<\/code>/.exec(html)?.[1];
    assert.ok(link, 'the link');
    const page = await web.get(new URL(link).pathname);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Nia New/);
    assert.deepEqual(audit().at(-1).split('|').slice(0, 3), ['ada@partnership.example', 'invite', 'new@partnership.example']);
  });

  it('a role changes, audited; never your own account', async () => {
    const to = '/console/people/' + encodeURIComponent('ed@partnership.example');
    const r = await web.post(to, { csrf: await csrf(admin), action: 'role', role: 'admin' }, jar(admin));
    assert.equal(r.status, 303);
    assert.equal(sql(db, "SELECT role FROM curator WHERE email = 'ed@partnership.example'")[0], 'admin');
    assert.equal(audit().at(-1), 'ada@partnership.example|role|ed@partnership.example|editor to admin');
    assert.equal((await web.post(to, { csrf: await csrf(admin), action: 'role', role: 'editor' }, jar(admin))).status, 303);
    const self = await web.post('/console/people/' + encodeURIComponent('ada@partnership.example'),
      { csrf: await csrf(admin), action: 'disable' }, jar(admin));
    assert.equal(self.status, 409);
    assert.equal((await web.post(to, { action: 'disable' }, jar(admin))).status, 403, 'no token');
    assert.equal((await web.post(to, { csrf: await csrf(admin), action: 'explode' }, jar(admin))).status, 400);
  });

  it('disabling ends their sessions; enabling lets them back', async () => {
    const to = '/console/people/' + encodeURIComponent('ed@partnership.example');
    assert.equal((await web.get('/console', jar(editor))).status, 200);
    assert.equal((await web.post(to, { csrf: await csrf(admin), action: 'disable' }, jar(admin))).status, 303);
    assert.equal((await web.get('/console', jar(editor))).status, 303, 'signed out');
    assert.equal((await web.post(to, { csrf: await csrf(admin), action: 'disable' }, jar(admin))).status, 404, 'disabled already');
    assert.equal((await web.post(to, { csrf: await csrf(admin), action: 'enable' }, jar(admin))).status, 303);
    assert.equal(sql(db, "SELECT state FROM curator WHERE email = 'ed@partnership.example'")[0], 'active');
  });

  it('a new invitation replaces their sign-in', async () => {
    const to = '/console/people/' + encodeURIComponent('ed@partnership.example');
    const r = await web.post(to, { csrf: await csrf(admin), action: 'reset' }, jar(admin));
    assert.equal(r.status, 200);
    assert.match(await r.text(), /no longer work/);
    assert.equal(sql(db, "SELECT state FROM curator WHERE email = 'ed@partnership.example'")[0], 'invited');
  });

  it('an API token is listed and revoked, and stops working', async () => {
    const made = spawnSync(BINARY, ['token', 'create', '--name', 'intranet-sync', '--role', 'editor', '--db', db], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const token = made.stdout.trim().split(/\s+/).at(-1);
    const authed = () => fetch(`${server.base}/api/v1/review-queue`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await authed()).status, 200);
    const html = await (await web.get('/console/people', jar(admin))).text();
    assert.match(html, /<td>intranet-sync<\/td><td>editor<\/td>/);
    const r = await web.post('/console/tokens/intranet-sync', { csrf: await csrf(admin) }, jar(admin));
    assert.equal(r.status, 303);
    assert.equal((await authed()).status, 401);
    assert.equal(audit().at(-1), 'ada@partnership.example|token-revoke|intranet-sync|');
    assert.equal((await web.post('/console/tokens/intranet-sync', { csrf: await csrf(admin) }, jar(admin))).status, 404);
    assert.doesNotMatch(await (await web.get('/console/people', jar(admin))).text(), /<td>intranet-sync<\/td>/);
  });
});
