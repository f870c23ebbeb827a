// Tokens and who may write: 401 with WWW-Authenticate, tokens kept only as
// SHA-256, revocation at once, both roles, the lock-out after repeated
// failures (429 with Retry-After; per token and per address in
// auth-limits.test.mjs), token names of safe characters only (and printed
// escaped by `token list`), and CORS preflights that never let another
// site send a token.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from '../http/lib/api.mjs';
import { raw } from '../http/lib/http.mjs';
import {
  ORGS, assertWriteHeaders, call, cli, createToken, newOrg, sha256hex, startServer, tempDb,
} from './lib/curation.mjs';

const WRITE_ROUTES = [
  ['POST', ORGS],
  ['PUT', `${ORGS}/nspcc`],
  ['PATCH', `${ORGS}/nspcc`],
  ['DELETE', `${ORGS}/nspcc`],
  ['POST', `${ORGS}/nspcc/restore`],
  ['POST', `${ORGS}/nspcc/review`],
  ['POST', `${ORGS}/nspcc/revisions/1/restore`],
  ['POST', '/api/v1/reports/1/close'],
];
const READ_ROUTES = [
  ['GET', `${ORGS}/nspcc/revisions`],
  ['GET', '/api/v1/archive/organisations'],
  ['GET', '/api/v1/review-queue'],
  ['GET', '/api/v1/reports'],
];

function assertUnauthorized(r, what) {
  assert.equal(r.status, 401, `${what}: ${r.text}`);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="signpost"', `WWW-Authenticate: ${what}`);
  assert.equal(r.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(r.json.status, 401);
}

describe('tokens', () => {
  let db, server, editor, admin;

  before(async () => {
    db = await tempDb();
    // Made before the server starts (the database is created and seeded).
    editor = await createToken(db.dbPath, 'alice', 'editor');
    admin = await createToken(db.dbPath, 'root', 'admin');
    server = await startServer({ dbPath: db.dbPath });
  });
  after(async () => {
    await server?.stop();
    await db?.remove();
  });

  it('every curation route answers 401 with WWW-Authenticate without a token', async () => {
    for (const [method, p] of [...WRITE_ROUTES, ...READ_ROUTES]) {
      const r = await call(server.base, method, p, method === 'GET' ? {} : { json: { name: 'x' } });
      assertUnauthorized(r, `${method} ${p} without a token`);
      assert.match(r.json.detail, /Bearer/);
    }
  });

  it('a wrong token, or another scheme, is 401 too and changes nothing', async () => {
    const before_ = await call(server.base, 'GET', `${ORGS}/nspcc`);
    const wrong = await call(server.base, 'PATCH', `${ORGS}/nspcc`, {
      token: 'sp_' + 'A'.repeat(43), json: { name: 'Hacked' }, contentType: 'application/merge-patch+json',
      ifMatch: '*',
    });
    assertUnauthorized(wrong, 'PATCH with a wrong token');
    const basic = await call(server.base, 'POST', ORGS, {
      headers: { authorization: 'Basic ' + Buffer.from('alice:secret').toString('base64') }, json: newOrg('basic-auth'),
    });
    assertUnauthorized(basic, 'POST with Basic credentials');
    const after_ = await call(server.base, 'GET', `${ORGS}/nspcc`);
    assert.equal(after_.json.name, before_.json.name, 'the record is unchanged');
    assert.equal((await call(server.base, 'GET', `${ORGS}/basic-auth`)).status, 404);
  });

  it('the database keeps only a 64-hex SHA-256 of each token, never the token', async () => {
    const rows = sql(db.dbPath, 'SELECT name, role, hash FROM token ORDER BY name').map((l) => l.split('|'));
    assert.deepEqual(rows.map((r) => r.slice(0, 2)), [['alice', 'editor'], ['root', 'admin']]);
    for (const [, , hash] of rows) assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(rows[0][2], sha256hex(editor));
    assert.equal(rows[1][2], sha256hex(admin));
    const dump = sql(db.dbPath, '.dump').join('\n');
    for (const t of [editor, admin]) {
      assert.ok(!dump.includes(t), 'the token is not in the database dump');
      assert.ok(!dump.includes(t.slice(3)), 'nor its random part');
    }
    // Nor anywhere in the files (database, WAL, shared memory).
    for (const f of readdirSync(db.dir)) {
      const bytes = readFileSync(path.join(db.dir, f));
      for (const t of [editor, admin]) assert.equal(bytes.indexOf(t), -1, `${f} does not hold a token`);
    }
    const list = await cli(['token', 'list', '--db', db.dbPath]);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^alice\s+editor\s+created \d{4}-\d\d-\d\dT/m);
    assert.match(list.stdout, /^root\s+admin\s+created /m);
    assert.ok(!list.stdout.includes(editor) && !list.stdout.includes(sha256hex(editor)));
  });

  it('an editor token and an admin token both may write (no route needs more than editor)', async () => {
    const a = await call(server.base, 'POST', ORGS, { token: editor, json: newOrg('made-by-editor') });
    assert.equal(a.status, 201, a.text);
    assertWriteHeaders(a, 'POST by editor');
    const b = await call(server.base, 'POST', ORGS, { token: admin, json: newOrg('made-by-admin') });
    assert.equal(b.status, 201, b.text);
    const c = await call(server.base, 'PATCH', `${ORGS}/made-by-admin`, {
      token: editor, json: { summary: 'Edited by the editor.' }, contentType: 'application/merge-patch+json',
      ifMatch: b.headers.get('etag'),
    });
    assert.equal(c.status, 200, c.text);
    for (const t of [editor, admin]) {
      for (const [method, p] of READ_ROUTES) {
        const r = await call(server.base, method, p, { token: t });
        assert.equal(r.status, 200, `${method} ${p}: ${r.text}`);
        assert.equal(r.headers.get('cache-control'), 'no-store');
      }
    }
    // No 403 anywhere: the roles are recorded, and the admin's is admin.
    const revs = await call(server.base, 'GET', `${ORGS}/made-by-admin/revisions`, { token: admin });
    assert.deepEqual(revs.json.items.map((x) => x.actor), ['root', 'alice']);
    assert.deepEqual(sql(db.dbPath, "SELECT role FROM token WHERE name = 'root'"), ['admin']);
  });

  it('a token made while the server runs works at once, and revoking it takes effect at once', async () => {
    const bob = await createToken(db.dbPath, 'bob', 'editor');
    const ok = await call(server.base, 'POST', ORGS, { token: bob, json: newOrg('made-by-bob') });
    assert.equal(ok.status, 201, ok.text);
    const revoke = await cli(['token', 'revoke', 'bob', '--db', db.dbPath]);
    assert.equal(revoke.code, 0, revoke.stderr);
    const refused = await call(server.base, 'POST', ORGS, { token: bob, json: newOrg('made-by-bob-2') });
    assertUnauthorized(refused, 'POST with a revoked token');
    assert.equal((await call(server.base, 'GET', `${ORGS}/made-by-bob-2`)).status, 404);
    assert.match((await cli(['token', 'list', '--db', db.dbPath])).stdout, /^bob\s+editor\s+created \S+, revoked \S+/m);
    const again = await cli(['token', 'revoke', 'bob', '--db', db.dbPath]);
    assert.notEqual(again.code, 0, 'revoking twice fails');
    // The others still work.
    const still = await call(server.base, 'GET', '/api/v1/review-queue', { token: editor });
    assert.equal(still.status, 200);
  });

  it('token create refuses a taken name and an unknown role', async () => {
    const dup = await cli(['token', 'create', '--name', 'alice', '--role', 'editor', '--db', db.dbPath]);
    assert.notEqual(dup.code, 0);
    assert.equal(dup.stdout, '', 'no token printed');
    const role = await cli(['token', 'create', '--name', 'carol', '--role', 'owner', '--db', db.dbPath]);
    assert.notEqual(role.code, 0);
    assert.equal(role.stdout, '');
  });

  it('token create refuses a name outside letters, digits and - _ . @ :, saying the rule', async () => {
    const bad = ['', 'evil\nroot                     admin   created 2020-01-01T00:00:00Z', 'a\rb',
      '\x1b[2Jx', 'x\x1b]0;title\x07', 'a/b', 'two words', ' lead', '-rf', '.', '..', '_x', 'caf\u00e9',
      'tab\there', 'x'.repeat(65)];
    for (const name of bad) {
      const r = await cli(['token', 'create', '--name', name, '--role', 'editor', '--db', db.dbPath]);
      assert.equal(r.code, 2, `--name ${JSON.stringify(name)}: ${r.stderr}`);
      assert.equal(r.stdout, '', `no token printed for ${JSON.stringify(name)}`);
      assert.match(r.stderr, /^signpost: token create --name: a token's name must be 1 to 64 characters: letters, digits and - _ \. @ : \(no spaces\), starting with a letter or a digit$/m,
        JSON.stringify(name));
    }
    const names = sql(db.dbPath, 'SELECT name FROM token');
    for (const name of bad) assert.ok(!names.includes(name), `${JSON.stringify(name)} was not stored`);
    for (const name of ['alice@school.example', 'ci:deploy-2025', 'Z', 'bob_smith.2', 'n'.repeat(64)]) {
      const r = await cli(['token', 'create', '--name', name, '--role', 'editor', '--db', db.dbPath]);
      assert.equal(r.code, 0, `--name ${name}: ${r.stderr}`);
    }
  });

  it('token list prints names escaped: one stored before the rule cannot make a line of its own', async () => {
    // As a name with CR, LF and escape sequences could be stored before.
    const legacy = 'old\r\nroot    admin   created 2000-01-01\x1b[1A\x1b[2K\\';
    const hex = Buffer.from(legacy).toString('hex');
    sql(db.dbPath, `INSERT INTO token (name, role, hash) VALUES (CAST(x'${hex}' AS TEXT), 'editor', '${'0'.repeat(64)}')`);
    const list = await cli(['token', 'list', '--db', db.dbPath]);
    assert.equal(list.code, 0, list.stderr);
    const rows = Number(sql(db.dbPath, 'SELECT count(*) FROM token')[0]);
    const lines = list.stdout.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, rows, `one line per token:\n${list.stdout}`);
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(list.stdout), 'no control character but the line ends');
    const created = sql(db.dbPath, `SELECT created_at FROM token WHERE hash = '${'0'.repeat(64)}'`)[0];
    const shown = String.raw`old\x0d\x0aroot\x20\x20\x20\x20admin\x20\x20\x20created\x202000-01-01\x1b[1A\x1b[2K\x5c`;
    assert.ok(lines.includes(`${shown} editor  created ${created}`), list.stdout);
    assert.match(list.stdout, /^alice {20}editor  created /m, 'ordinary names print as they are, in the column');
    // And it can still be revoked by its name.
    const revoke = await cli(['token', 'revoke', legacy, '--db', db.dbPath]);
    assert.equal(revoke.code, 0, revoke.stderr);
  });

  it('preflights never allow another origin to send a token or a write method', async () => {
    const cases = [
      [ORGS, ['GET', 'HEAD', 'POST', 'OPTIONS']],
      [`${ORGS}/nspcc`, ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']],
      [`${ORGS}/nspcc/restore`, ['POST', 'OPTIONS']],
      [`${ORGS}/nspcc/review`, ['POST', 'OPTIONS']],
      [`${ORGS}/nspcc/revisions`, ['GET', 'HEAD', 'OPTIONS']],
      [`${ORGS}/nspcc/revisions/1/restore`, ['POST', 'OPTIONS']],
      ['/api/v1/archive/organisations', ['GET', 'HEAD', 'OPTIONS']],
      ['/api/v1/review-queue', ['GET', 'HEAD', 'OPTIONS']],
      ['/api/v1/reports', ['GET', 'HEAD', 'OPTIONS']],
      ['/api/v1/reports/1/close', ['POST', 'OPTIONS']],
    ];
    for (const [p, allow] of cases) {
      for (const m of ['POST', 'PATCH', 'DELETE', 'GET']) {
        const r = await raw(server.base, {
          method: 'OPTIONS', path: p,
          headers: { origin: 'https://evil.example', 'access-control-request-method': m,
            'access-control-request-headers': 'authorization, content-type, if-match' },
        });
        assert.equal(r.status, 204, `OPTIONS ${p}`);
        assert.deepEqual(r.headers.allow.split(', ').sort(), [...allow].sort(), `Allow on ${p}`);
        const methods = r.headers['access-control-allow-methods'].split(/,\s*/);
        assert.deepEqual(methods, ['GET', 'HEAD', 'OPTIONS'], `preflight methods on ${p}`);
        const hdrs = (r.headers['access-control-allow-headers'] || '').toLowerCase().split(/,\s*/);
        assert.ok(!hdrs.includes('authorization'), `Authorization not allowed on ${p}`);
        assert.ok(!hdrs.includes('if-match'), `If-Match not allowed on ${p}`);
        assert.equal(r.headers['access-control-allow-credentials'], undefined);
      }
    }
  });

  it('other methods on the curation paths are 405 with the right Allow', async () => {
    const cases = [
      ['PUT', ORGS, 'GET, HEAD, POST, OPTIONS'],
      ['DELETE', ORGS, 'GET, HEAD, POST, OPTIONS'],
      ['POST', `${ORGS}/nspcc`, 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'],
      ['GET', `${ORGS}/nspcc/review`, 'POST, OPTIONS'],
      ['DELETE', `${ORGS}/nspcc/revisions`, 'GET, HEAD, OPTIONS'],
      ['GET', '/api/v1/reports/1/close', 'POST, OPTIONS'],
      ['POST', '/api/v1/review-queue', 'GET, HEAD, OPTIONS'],
    ];
    for (const [method, p, allow] of cases) {
      const r = await call(server.base, method, p, { token: editor });
      assert.equal(r.status, 405, `${method} ${p}: ${r.text}`);
      assert.equal(r.headers.get('allow'), allow, `${method} ${p}`);
    }
  });
});

describe('repeated failures from one client', () => {
  let db, server, editor;

  before(async () => {
    db = await tempDb();
    editor = await createToken(db.dbPath, 'alice', 'editor');
    server = await startServer({ dbPath: db.dbPath });
  });
  after(async () => {
    await server?.stop();
    await db?.remove();
  });

  it('requests without any token are not counted as failures', async () => {
    for (let i = 0; i < 8; i++) {
      const r = await call(server.base, 'GET', '/api/v1/review-queue');
      assertUnauthorized(r, `attempt ${i + 1} without a token`);
    }
    const ok = await call(server.base, 'GET', '/api/v1/review-queue', { token: editor });
    assert.equal(ok.status, 200);
  });

  it('five tries of one wrong token are 401; the sixth is 429 with Retry-After', async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await call(server.base, 'POST', ORGS, { token: 'sp_wrong', json: newOrg(`guess-${i}`) });
      assertUnauthorized(r, `wrong token, attempt ${i}`);
    }
    const sixth = await call(server.base, 'POST', ORGS, { token: 'sp_wrong', json: newOrg('guess-6') });
    assert.equal(sixth.status, 429, sixth.text);
    const wait = Number(sixth.headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After: ${sixth.headers.get('retry-after')}`);
    assert.equal(sixth.headers.get('access-control-allow-origin'), null);
    assert.equal(sixth.headers.get('cache-control'), 'no-store');
    // Another token from the same address is still checked (a colleague
    // behind the same NAT): auth-limits.test.mjs.
    const good = await call(server.base, 'GET', '/api/v1/review-queue', { token: editor });
    assert.equal(good.status, 200, good.text);
  });

  it('twenty wrong tokens in all lock the address out: 429 with Retry-After, even with a good token', async () => {
    // Five failures so far (the test above); fifteen more different ones.
    for (let i = 1; i <= 15; i++) {
      const r = await call(server.base, 'POST', ORGS, { token: `sp_wrong${i}`, json: newOrg(`guess-more-${i}`) });
      assertUnauthorized(r, `another wrong token, attempt ${i}`);
    }
    const next = await call(server.base, 'POST', ORGS, { token: 'sp_wrong-next', json: newOrg('guess-next') });
    assert.equal(next.status, 429, next.text);
    assert.equal(next.headers.get('access-control-allow-origin'), null);
    const good = await call(server.base, 'POST', ORGS, { token: editor, json: newOrg('locked-out') });
    assert.equal(good.status, 429, 'a good token from the locked-out address waits too');
    const wait = Number(good.headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After: ${good.headers.get('retry-after')}`);
    const read = await call(server.base, 'GET', '/api/v1/review-queue', { token: editor });
    assert.equal(read.status, 429);
    assert.equal(read.headers.get('cache-control'), 'no-store');
    // Public reads are not affected.
    assert.equal((await call(server.base, 'GET', ORGS)).status, 200);
    assert.equal((await call(server.base, 'GET', `${ORGS}/locked-out`)).status, 404, 'nothing was written');
  });
});

describe('authentication failures of write methods', () => {
  let db, server;
  before(async () => {
    db = await tempDb();
    server = await startServer({ dbPath: db.dbPath });
  });
  after(async () => {
    await server?.stop();
    await db?.remove();
  });

  it('carry no CORS headers', async () => {
    for (const [method, p] of WRITE_ROUTES) {
      const r = await call(server.base, method, p, { json: {} });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('access-control-allow-origin'), null, `${method} ${p}`);
    }
  });

  it('say Cache-Control: no-store like every other write answer', {
  }, async () => {
    for (const [method, p] of WRITE_ROUTES) {
      const r = await call(server.base, method, p, { json: {} });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('cache-control'), 'no-store', `${method} ${p}`);
    }
  });
});
