// The curators' console over HTTP: an invitation followed to a password and
// a TOTP second factor (codes computed here from the secret the page
// shows), recovery codes, signing in and out, sessions (cookie flags, idle
// expiry, a disabled account), CSRF and cross-site forms, replayed codes,
// rate limits, and the public site unchanged and cookie-free for a browser
// that carries the console's cookie.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { base32Decode, totp, cookieOf, csrfOf } from './lib/console.mjs';
import { readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { BINARY, startServer, tempDir } from '../http/lib/server.mjs';
import { sql } from '../http/lib/api.mjs';

const EMAIL = 'sam@council.example';
const PASSWORD = 'kettle orbit lantern meadow';

let server, tmp, db;

before(async () => {
  tmp = await tempDir('signpost-console-');
  db = path.join(tmp.dir, 'console.db');
  server = await startServer({ dbPath: db, args: ['serve', '--port', '0', '--bind', '127.0.0.1',
    '--db', db, '--access-log', 'off'] });
});
after(async () => { await server?.stop(); await tmp?.remove(); });

function user(...args) {
  const r = spawnSync(BINARY, ['user', ...args, '--db', db], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return r;
}

async function get(p, headers = {}) {
  return fetch(server.base + p, { headers, redirect: 'manual' });
}

async function post(p, fields, headers = {}) {
  return fetch(server.base + p, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

function assertConsoleHeaders(r) {
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /form-action 'self'/);
  assert.doesNotMatch(csp, /https?:/, 'nothing from other origins');
}


async function signIn(code, password = PASSWORD, email = EMAIL) {
  return post('/console/sign-in', { email, password, code });
}

describe('the console', () => {
  let link, secret, recovery, cookie;

  it('an invitation leads to a password form, no-store and unframeable', async () => {
    const r = user('create', '--email', EMAIL, '--name', 'Sam Patel', '--role', 'admin');
    assert.equal(r.status, 0, r.stderr);
    link = new URL(r.stdout.trim()).pathname;
    const page = await get(link);
    assert.equal(page.status, 200);
    assertConsoleHeaders(page);
    const html = await page.text();
    assert.match(html, /Set your password/);
    assert.match(html, /Sam Patel/);
    assert.equal(page.headers.get('set-cookie'), null);
  });

  it('a broken or unknown invitation says so', async () => {
    const r = await get('/console/invitation/' + 'A'.repeat(43));
    assert.equal(r.status, 404);
    assert.match(await r.text(), /invitation link does not work/);
    assert.equal((await get('/console/invitation/short')).status, 404);
  });

  it('a common, short or mismatched password is refused, beside its field', async () => {
    for (const [pw, confirm, field] of [['password1234', 'password1234', 'password'],
      ['short', 'short', 'password'], [PASSWORD, PASSWORD + 'x', 'confirm'],
      ['sam@council.example', 'sam@council.example', 'password']]) {
      const r = await post(link, { step: 'password', password: pw, confirm });
      assert.equal(r.status, 400, pw);
      const html = await r.text();
      assert.match(html, /There is a problem/);
      assert.match(html, new RegExp(`href="#${field}"`));
      assert.match(html, new RegExp(`id="${field}-error"`));
    }
  });

  it('a form from another site is refused', async () => {
    const r = await post(link, { step: 'password', password: PASSWORD, confirm: PASSWORD },
      { 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(r.status, 403);
    const o = await post(link, { step: 'password', password: PASSWORD, confirm: PASSWORD },
      { 'Sec-Fetch-Site': '', Origin: 'https://evil.example' });
    assert.equal(o.status, 403);
  });

  it('a good password shows the second factor as a QR code and as text', async () => {
    const r = await post(link, { step: 'password', password: PASSWORD, confirm: PASSWORD });
    assert.equal(r.status, 200);
    assertConsoleHeaders(r);
    const html = await r.text();
    assert.match(html, /<svg[^>]*role="img"[^>]*aria-label="QR code/);
    const text = /id="secret"><code>([A-Z2-7 ]+)<\/code>/.exec(html)?.[1];
    assert.ok(text, 'the secret as text');
    secret = base32Decode(text);
    assert.equal(secret.length, 20);
    // Reloading the link shows the same secret again, until a code proves it.
    const again = await (await get(link)).text();
    assert.ok(again.includes(text));
  });

  it('the database holds no password and no readable TOTP secret', () => {
    const [pw, sealed] = sql(db, `SELECT password, totp_sealed FROM curator WHERE email = '${EMAIL}'`)[0].split('|');
    assert.match(pw, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
    assert.ok(!sealed.includes(secret.toString('hex')));
    const bytes = Buffer.concat([db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    assert.ok(!bytes.includes(secret), 'the raw secret is nowhere in the database');
    assert.ok(!bytes.includes(Buffer.from(PASSWORD)));
    const key = statSync(`${db}.key`);
    assert.equal(key.mode & 0o777, 0o600, 'the sealing key is readable by its owner only');
    assert.equal(key.size, 32);
  });

  it('a wrong code is refused; the right one gives ten recovery codes, once', async () => {
    const wrong = await post(link, { step: 'code', code: totp(secret, 5) });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /That code is not right/);
    const r = await post(link, { step: 'code', code: totp(secret) });
    assert.equal(r.status, 200);
    const html = await r.text();
    recovery = [...html.matchAll(/<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(recovery.length, 10);
    assert.equal(new Set(recovery).size, 10);
    assert.equal((await get(link)).status, 404, 'the invitation is used');
    const stored = sql(db, 'SELECT hash FROM recovery_code');
    assert.equal(stored.length, 10);
    for (const c of recovery) {
      const plain = c.replace('-', '');
      assert.ok(!stored.includes(plain));
      // Keyed: a copy of the database alone cannot be searched offline.
      assert.ok(!stored.includes(createHash('sha256').update(plain).digest('hex')));
    }
  });

  it('signing in needs all three, and a code from the app works once', async () => {
    const bad = await signIn(totp(secret, 1), 'not the password at all');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /email address, password or code is not right/);
    const used = await signIn(totp(secret));   // the code enrolment used
    assert.equal(used.status, 400);
    const code = totp(secret, 1);
    const ok = await signIn(code);
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/console');
    const sc = ok.headers.get('set-cookie');
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/console'])
      assert.ok(sc.includes(flag), `${flag} in ${sc}`);
    assert.doesNotMatch(sc, /Expires|Max-Age|Domain/i);
    cookie = cookieOf(ok);
    assert.ok(cookie);
    assert.equal(sql(db, `SELECT count(*) FROM session WHERE hash = '${cookie}'`)[0], '0',
      'only a hash of the session id is stored');
    const replay = await signIn(code);
    assert.equal(replay.status, 400, 'the same code again');
  });

  it('the dashboard shows what needs attention, no-store', async () => {
    const r = await get('/console', { Cookie: `signpost_console=${cookie}` });
    assert.equal(r.status, 200);
    assertConsoleHeaders(r);
    const html = await r.text();
    for (const h of ['Due for review', 'Open reports from the public', 'Latest changes', 'Signed in as'])
      assert.ok(html.includes(h), h);
    const audit = await (await get('/console/audit', { Cookie: `signpost_console=${cookie}` })).text();
    for (const e of ['invite', 'enrol', 'sign-in', 'sign-in-failed']) assert.ok(audit.includes(`<td>${e}</td>`), e);
  });

  it('without a session the console sends people to sign in', async () => {
    for (const c of [undefined, 'signpost_console=' + 'A'.repeat(43), 'signpost_console=x',
      `signpost_console=${cookie}; signpost_console=${cookie}`]) {
      const r = await get('/console', c ? { Cookie: c } : {});
      assert.equal(r.status, 303, String(c));
      assert.equal(r.headers.get('location'), '/console/sign-in');
    }
  });

  it('the public site sets no cookie and answers the same with the console cookie', async () => {
    for (const p of ['/', '/organisations', '/help', '/api/v1/organisations']) {
      const plain = await get(p);
      const withCookie = await get(p, { Cookie: `signpost_console=${cookie}` });
      assert.equal(plain.headers.get('set-cookie'), null);
      assert.equal(withCookie.headers.get('set-cookie'), null);
      assert.equal(await withCookie.text(), await plain.text(), p);
    }
  });

  it('signing out needs the CSRF token and a same-origin form', async () => {
    const h = { Cookie: `signpost_console=${cookie}` };
    const csrf = csrfOf(await (await get('/console', h)).text());
    assert.ok(csrf);
    assert.equal((await post('/console/sign-out', {}, h)).status, 403);
    assert.equal((await post('/console/sign-out', { csrf: 'B'.repeat(43) }, h)).status, 403);
    assert.equal((await post('/console/sign-out', { csrf }, { ...h, 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    assert.equal((await get('/console', h)).status, 200, 'still signed in');
    const out = await post('/console/sign-out', { csrf }, h);
    assert.equal(out.status, 303);
    assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
    assert.equal((await get('/console', h)).status, 303, 'the session is over');
  });

  it('a recovery code works once, typed any way', async () => {
    const first = await signIn(recovery[0].toUpperCase().replace('-', ' '));
    assert.equal(first.status, 303);
    const twice = await signIn(recovery[0]);
    assert.equal(twice.status, 400);
  });

  it('an idle session ends after 30 minutes, and a disabled account is signed out', async () => {
    const a = cookieOf(await signIn(recovery[1]));
    const b = cookieOf(await signIn(recovery[2]));
    assert.ok(a && b);
    assert.equal((await get('/console', { Cookie: `signpost_console=${a}` })).status, 200);
    sql(db, `UPDATE session SET seen_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-31 minutes') WHERE hash = '${createHash('sha256').update(a).digest('hex')}'`);
    assert.equal((await get('/console', { Cookie: `signpost_console=${a}` })).status, 303);
    assert.equal((await get('/console', { Cookie: `signpost_console=${b}` })).status, 200);
    assert.equal(user('disable', EMAIL).status, 0);
    assert.equal((await get('/console', { Cookie: `signpost_console=${b}` })).status, 303);
    assert.equal((await signIn(recovery[3])).status, 400, 'a disabled account cannot sign in');
  });

  it('a sign-in from another site is refused', async () => {
    // Checked before the account or its limits are looked at.
    const x = await post('/console/sign-in', { email: EMAIL, password: PASSWORD, code: recovery[4] },
      { 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(x.status, 403);
  });

  it('failures are limited per account, with how long to wait', async () => {
    let last;
    for (let i = 0; i < 6; i++) last = await signIn('123456', 'wrong wrong wrong', 'nobody@example.org');
    assert.equal(last.status, 429);
    assert.ok(Number(last.headers.get('retry-after')) > 0);
    assert.match(await last.text(), /Too many tries\. Try again in \d+ minutes?\./);
    const other = await signIn('123456', 'wrong wrong wrong', 'someone@example.org');
    assert.equal(other.status, 400, 'another account is not locked out');
  });
});

describe('on a read-only replica', () => {
  it('the console is not served, and says where it is', async () => {
    const snap = path.join(tmp.dir, 'snapshot.db');
    const b = spawnSync(BINARY, ['backup', snap, '--db', db], { encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    const replica = await startServer({ dbPath: snap, args: ['serve', '--port', '0', '--bind', '127.0.0.1',
      '--db', snap, '--read-only', '--access-log', 'off'] });
    try {
      for (const p of ['/console/sign-in', '/console', '/console/organisations/nspcc', '/console/invitation/' + 'A'.repeat(43)]) {
        const r = await fetch(replica.base + p, { redirect: 'manual' });
        assert.equal(r.status, 503, p);
        assert.equal(r.headers.get('cache-control'), 'no-store');
        assert.match(await r.text(), /Sign in to the console on the main server/);
      }
      const signIn = await fetch(replica.base + '/console/sign-in', { method: 'POST', redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
        body: new URLSearchParams({ email: EMAIL, password: PASSWORD, code: '123456' }).toString() });
      assert.equal(signIn.status, 503);
      assert.doesNotMatch(replica.stderr(), /database error/, 'nothing tried to write');
      assert.equal((await fetch(replica.base + '/organisations/nspcc')).status, 200, 'the public site is served');
    } finally {
      await replica.stop();
    }
  });
});

