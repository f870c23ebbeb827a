// `signpost user ...`: curators' accounts for the console, made from the
// command line. An invitation link carries a 256-bit token that is printed
// once and stored only as its SHA-256, valid 24 hours; addresses compare
// without case; disable ends sessions and invitations; reset starts the
// account over with a new link; every step is in the audit log; what a
// list prints cannot move a terminal's cursor.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { BINARY, tempDir } from '../http/lib/server.mjs';
import { sql } from '../http/lib/api.mjs';

let tmp, db;

before(async () => {
  tmp = await tempDir('signpost-users-');
  db = path.join(tmp.dir, 'users.db');
});
after(() => tmp?.remove());

function user(...args) {
  const r = spawnSync(BINARY, ['user', ...args, '--db', db], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return r;
}

const LINK = /^http:\/\/127\.0\.0\.1:8080\/console\/invitation\/([A-Za-z0-9_-]{43})\n$/;
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

// Every byte of the database (and its WAL, if one is left).
function dbBytes() {
  return Buffer.concat([db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
}

describe('signpost user', () => {
  let firstToken;

  it('create prints an invitation link once; only its hash is stored, for 24 hours', () => {
    const r = user('create', '--email', 'Jane.Doe@example.org', '--name', 'Jane Doe', '--role', 'editor');
    assert.equal(r.status, 0, r.stderr);
    const m = LINK.exec(r.stdout);
    assert.ok(m, `stdout is the link alone: ${JSON.stringify(r.stdout)}`);
    firstToken = m[1];
    assert.match(r.stderr, /24 hours/);
    assert.ok(!dbBytes().includes(Buffer.from(firstToken)), 'the token itself is nowhere in the database');
    const [row] = sql(db, "SELECT i.hash, c.state, c.role, c.password IS NULL,"
      + " round((julianday(i.expires_at) - julianday('now')) * 24) FROM invitation i"
      + " JOIN curator c ON c.pk = i.curator_pk");
    assert.equal(row, `${sha256(firstToken)}|invited|editor|1|24.0`);
  });

  it('the link follows --public-url', () => {
    const r = spawnSync(BINARY, ['user', 'create', '--email', 'sam@example.org', '--name', 'Sam',
      '--role', 'admin', '--public-url', 'https://signpost.example/', '--db', db], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^https:\/\/signpost\.example\/console\/invitation\/[A-Za-z0-9_-]{43}\n$/);
  });

  it('an address that has an account, in any case, is refused and nothing changes', () => {
    const before = sql(db, 'SELECT count(*) FROM curator; SELECT count(*) FROM invitation');
    const r = user('create', '--email', 'JANE.DOE@EXAMPLE.ORG', '--name', 'Another', '--role', 'admin');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '', 'no link');
    assert.match(r.stderr, /has an account already.*user reset/);
    assert.deepEqual(sql(db, 'SELECT count(*) FROM curator; SELECT count(*) FROM invitation'), before);
  });

  it('bad addresses, names and roles are refused with a reason (exit 2)', () => {
    const cases = [
      [['--email', 'no-at-sign', '--name', 'X', '--role', 'editor'], /one @/],
      [['--email', 'a@b', '--name', 'X', '--role', 'editor'], /whole domain/],
      [['--email', 'a b@example.org', '--name', 'X', '--role', 'editor'], /no spaces/],
      [['--email', 'x@example.org', '--name', 'Line\nBreak', '--role', 'editor'], /control characters/],
      [['--email', 'x@example.org', '--name', '   ', '--role', 'editor'], /1 to 100/],
      [['--email', 'x@example.org', '--name', 'X'.repeat(101), '--role', 'editor'], /1 to 100/],
      [['--email', 'x@example.org', '--name', 'X', '--role', 'owner'], /--role editor or --role admin/],
      [['--email', 'x@example.org', '--role', 'editor'], /--email E and --name N/],
    ];
    for (const [args, why] of cases) {
      const r = user('create', ...args);
      assert.equal(r.status, 2, `${JSON.stringify(args)}: ${r.stderr}`);
      assert.match(r.stderr, why, JSON.stringify(args));
    }
    assert.deepEqual(sql(db, "SELECT count(*) FROM curator WHERE email = 'x@example.org'"), ['0']);
    for (const sub of ['disable', 'enable', 'reset']) assert.equal(user(sub).status, 2, `user ${sub} with no address`);
    assert.equal(user('frobnicate').status, 2);
  });

  it('list shows each account, and prints no control character from a stored name', () => {
    sql(db, "INSERT INTO curator (email, name, role) VALUES ('old@example.org', 'Evil' || char(27) || '[2J' || char(10) || 'x', 'editor')");
    const r = user('list');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Jane\.Doe@example\.org\s+editor\s+invited\s+Jane Doe, invitation open until \d{4}-/m,
      'the address as created (compared without case), role, state, name, open invitation');
    assert.match(r.stdout, /^sam@example\.org\s+admin\s+invited\s+Sam/m);
    assert.match(r.stdout, /Evil\\x1b\[2J\\x0ax/);
    assert.ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(r.stdout), 'no control character but the line ends');
  });

  it('disable ends sessions and invitations; reset of a disabled account is refused; enable', () => {
    sql(db, "INSERT INTO session (curator_pk, hash) SELECT pk, 'h1' FROM curator WHERE email = 'jane.doe@example.org'");
    let r = user('disable', 'jane.doe@EXAMPLE.org');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(sql(db, "SELECT state, disabled_at IS NOT NULL FROM curator WHERE email = 'Jane.Doe@example.org'"), ['disabled|1']);
    assert.deepEqual(sql(db, "SELECT count(*) FROM session WHERE ended_at IS NULL"), ['0'], 'its session ended');
    assert.deepEqual(sql(db, `SELECT used_at IS NOT NULL FROM invitation WHERE hash = '${sha256(firstToken)}'`), ['1'],
      'its invitation no longer works');
    r = user('disable', 'jane.doe@example.org');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /disabled already/);
    r = user('reset', 'jane.doe@example.org');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /is disabled: user enable/);
    r = user('enable', 'jane.doe@example.org');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(sql(db, "SELECT state FROM curator WHERE email = 'jane.doe@example.org'"), ['invited'],
      'an account that never finished enrolling is back to invited');
  });

  it('reset gives a new link, clears the password, factor and recovery codes, and ends sessions', () => {
    sql(db, "UPDATE curator SET state = 'active', password = '$argon2id$x', totp_sealed = x'00' WHERE email = 'sam@example.org';"
      + " INSERT INTO recovery_code (curator_pk, hash) SELECT pk, 'r1' FROM curator WHERE email = 'sam@example.org';"
      + " INSERT INTO session (curator_pk, hash) SELECT pk, 'h2' FROM curator WHERE email = 'sam@example.org'");
    const r = user('reset', 'SAM@example.org');
    assert.equal(r.status, 0, r.stderr);
    const m = LINK.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.deepEqual(sql(db, "SELECT state, password IS NULL, totp_sealed IS NULL FROM curator WHERE email = 'sam@example.org'"),
      ['invited|1|1']);
    assert.deepEqual(sql(db, 'SELECT count(*) FROM recovery_code'), ['0']);
    assert.deepEqual(sql(db, "SELECT count(*) FROM session WHERE hash = 'h2' AND ended_at IS NULL"), ['0']);
    assert.deepEqual(sql(db, "SELECT count(*) FROM invitation i JOIN curator c ON c.pk = i.curator_pk"
      + " WHERE c.email = 'sam@example.org' AND i.used_at IS NULL"), ['1'], 'only the new link is open');
    assert.deepEqual(sql(db, `SELECT count(*) FROM invitation WHERE hash = '${sha256(m[1])}' AND used_at IS NULL`), ['1']);
    assert.equal(user('reset', 'nobody@example.org').status, 1);
  });

  it('every step is in the audit log, as the command line, with the address as stored', () => {
    assert.deepEqual(sql(db, 'SELECT actor, event, subject FROM audit ORDER BY pk'), [
      'cli|invite|Jane.Doe@example.org',
      'cli|invite|sam@example.org',
      'cli|disable|Jane.Doe@example.org',
      'cli|enable|Jane.Doe@example.org',
      'cli|invite-reset|sam@example.org',
    ]);
  });

  it('account writes do not move the public data version (no cache flush)', () => {
    const [v] = sql(db, "SELECT value FROM meta WHERE key = 'data_version'");
    assert.equal(user('disable', 'sam@example.org').status, 0);
    assert.deepEqual(sql(db, "SELECT value FROM meta WHERE key = 'data_version'"), [v]);
  });
});
