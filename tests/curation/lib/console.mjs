// What the console's tests share: TOTP codes computed from the secret the
// enrolment page shows, form posts as a browser sends them, and a curator
// taken from `signpost user create` to a signed-in session.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { BINARY, startServer, tempDir } from '../../http/lib/server.mjs';

export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, acc = 0;
  const out = [];
  for (const c of s.replace(/[\s=]/g, '').toUpperCase()) {
    acc = (acc << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) { out.push((acc >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}

// RFC 6238 with SHA-1, 30 s, 6 digits, at step offset from now.
export function totp(secret, offset = 0) {
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(msg).digest();
  const o = mac[19] & 15;
  const bin = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(bin % 1e6).padStart(6, '0');
}

export const cookieOf = (r) => /signpost_console=([A-Za-z0-9_-]{43})/.exec(r.headers.get('set-cookie') || '')?.[1];
export const csrfOf = (html) => /name="csrf" value="([A-Za-z0-9_-]{43})"/.exec(html)?.[1];

// A client of one server: get and post (fields as an object, or as
// [name, value] pairs when a name repeats), same-origin by default.
export function client(base) {
  const get = (p, headers = {}) => fetch(base + p, { headers, redirect: 'manual' });
  const post = (p, fields, headers = {}) => fetch(base + p, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { get, post };
}

export function user(db, ...args) {
  const r = spawnSync(BINARY, ['user', ...args, '--db', db], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return r;
}

// Invites email, follows the link to a password and TOTP, and signs in:
// { cookie, secret, recovery }.
export async function enrolAndSignIn(base, db, email, name, role, password) {
  const { get, post } = client(base);
  const made = user(db, 'create', '--email', email, '--name', name, '--role', role);
  assert.equal(made.status, 0, made.stderr);
  const link = new URL(made.stdout.trim()).pathname;
  const factor = await (await post(link, { step: 'password', password, confirm: password })).text();
  const secret = base32Decode(/id="secret"><code>([A-Z2-7 ]+)<\/code>/.exec(factor)[1]);
  const done = await (await post(link, { step: 'code', code: totp(secret) })).text();
  const recovery = [...done.matchAll(/<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/g)].map((m) => m[1]);
  const signed = await post('/console/sign-in', { email, password, code: recovery[0] });
  assert.equal(signed.status, 303);
  const cookie = cookieOf(signed);
  assert.ok(cookie);
  assert.ok((await get('/console', { Cookie: `signpost_console=${cookie}` })).status === 200);
  return { cookie, secret, recovery };
}

// A server on a fresh seeded database of its own, for one test file:
// { server, tmp, db, web }; stop() ends both.
export async function startConsole(prefix) {
  const tmp = await tempDir(prefix);
  const db = path.join(tmp.dir, 'console.db');
  const server = await startServer({ dbPath: db, args: ['serve', '--port', '0', '--bind', '127.0.0.1',
    '--db', db, '--access-log', 'off'] });
  return { server, tmp, db, web: client(server.base), stop: async () => { await server.stop(); await tmp.remove(); } };
}

// HTML's escapes undone (what a browser would send back).
export const decode = (s) => s.replace(/&#x([0-9a-f]+);|&#(\d+);|&(amp|lt|gt|quot);/gi, (m, hex, dec, name) =>
  hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec))
    : { amp: '&', lt: '<', gt: '>', quot: '"' }[name.toLowerCase()]);
const attr = (tag, name) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]) : (new RegExp(`\\s${name}(\\s|>)`).test(tag) ? '' : undefined);
};

// The fields the form at action sends as a browser would: [name, value]
// pairs (checked boxes only, the selected option, textareas).
export function formFields(html, action) {
  const start = html.indexOf(`<form action="${action}"`);
  assert.ok(start >= 0, `a form for ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out = [];
  for (const m of form.matchAll(/<input\b[^>]*>|<textarea\b[^>]*>[\s\S]*?<\/textarea>|<select\b[^>]*>[\s\S]*?<\/select>/g)) {
    const tag = m[0];
    const name = attr(tag, 'name');
    if (!name) continue;
    if (tag.startsWith('<input')) {
      const type = attr(tag, 'type') || 'text';
      if ((type === 'checkbox' || type === 'radio') && attr(tag, 'checked') === undefined) continue;
      out.push([name, attr(tag, 'value') ?? '']);
    } else if (tag.startsWith('<textarea')) {
      out.push([name, decode(/>([\s\S]*)<\/textarea>/.exec(tag)[1])]);
    } else {
      const opt = /<option value="([^"]*)" selected>/.exec(tag);
      out.push([name, opt ? decode(opt[1]) : '']);
    }
  }
  return out;
}
export const setField = (fields, name, value) => {
  const i = fields.findIndex(([n]) => n === name);
  assert.ok(i >= 0, name);
  fields[i] = [name, value];
  return fields;
};
