// Tokens through the API, for admins: list (never the token or its hash),
// create (the token is in the answer, once; only its SHA-256 is stored),
// revoke (at once). Editors get 403; writes answer no-store without CORS.
// Names are 1 to 64 letters, digits and - _ . @ :, starting with a letter
// or a digit (safe on a terminal and as one path segment): others are 422.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../http/lib/api.mjs';
import { assertWriteHeaders, call, createToken, newOrg, ORGS, sha256hex, startServer, tempDb } from './lib/curation.mjs';

const TOKENS = '/api/v1/tokens';

describe('tokens through the API', () => {
  let db, server, admin, editor;
  before(async () => {
    db = await tempDb('signpost-tokens-');
    admin = await createToken(db.dbPath, 'root', 'admin');
    editor = await createToken(db.dbPath, 'alice', 'editor');
    server = await startServer({ dbPath: db.dbPath });
  });
  after(async () => {
    await server?.stop();
    await db?.remove();
  });

  it('an editor cannot list, create or revoke tokens (403), nobody without a token (401)', async () => {
    assert.equal((await call(server.base, 'GET', TOKENS, { token: editor })).status, 403);
    assert.equal((await call(server.base, 'POST', TOKENS, { token: editor, json: { name: 'x', role: 'editor' } })).status, 403);
    assert.equal((await call(server.base, 'DELETE', `${TOKENS}/alice`, { token: editor })).status, 403);
    assert.equal((await call(server.base, 'GET', TOKENS)).status, 401);
  });

  it('an admin makes a token that works at once, shown once and stored only as its SHA-256', async () => {
    const r = await call(server.base, 'POST', TOKENS, { token: admin, json: { name: 'bob', role: 'editor' } });
    assert.equal(r.status, 201, r.text);
    assertWriteHeaders(r, 'POST token');
    const made = JSON.parse(r.text);
    assert.equal(made.name, 'bob');
    assert.equal(made.role, 'editor');
    assert.match(made.token, /^sp_[A-Za-z0-9_-]{43}$/);
    const stored = sql(db.dbPath, "SELECT hash FROM token WHERE name = 'bob'");
    assert.deepEqual(stored, [sha256hex(made.token)]);
    const w = await call(server.base, 'POST', ORGS, { token: made.token, json: newOrg('made-by-bob') });
    assert.equal(w.status, 201, w.text);

    const list = await call(server.base, 'GET', TOKENS, { token: admin });
    assert.equal(list.status, 200);
    const items = JSON.parse(list.text).items;
    assert.ok(items.some((t) => t.name === 'bob' && t.role === 'editor' && t.revoked_at === null));
    assert.ok(!list.text.includes(made.token) && !list.text.includes(sha256hex(made.token)), 'never the token or its hash');
  });

  it('revoking takes effect at once; revoking again is 404', async () => {
    const made = JSON.parse((await call(server.base, 'POST', TOKENS, { token: admin, json: { name: 'carol', role: 'editor' } })).text);
    const r = await call(server.base, 'DELETE', `${TOKENS}/carol`, { token: admin });
    assert.equal(r.status, 204);
    assertWriteHeaders(r, 'DELETE token');
    assert.equal((await call(server.base, 'POST', ORGS, { token: made.token, json: newOrg('too-late') })).status, 401);
    assert.equal((await call(server.base, 'DELETE', `${TOKENS}/carol`, { token: admin })).status, 404);
  });

  it('a name outside letters, digits and - _ . @ : is 422 problem+json saying the rule', async () => {
    const bad = ['evil\r\nroot admin', 'line\nbreak', '\x1b[2Jclear', 'a/b', 'two words', ' lead', '-x', '.', '..',
      '_x', 'caf\u00e9', 'x'.repeat(65)];
    for (const name of bad) {
      const r = await call(server.base, 'POST', TOKENS, { token: admin, json: { name, role: 'editor' } });
      assert.equal(r.status, 422, `${JSON.stringify(name)}: ${r.text}`);
      assertWriteHeaders(r, `POST token ${JSON.stringify(name)}`);
      assert.equal(r.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      const problem = JSON.parse(r.text);
      assert.equal(problem.status, 422);
      assert.deepEqual(problem.errors.map((e) => e.name), ['/name'], JSON.stringify(name));
      assert.ok(!r.text.includes('token":'), 'no token made');
    }
    const rule = (await call(server.base, 'POST', TOKENS, { token: admin, json: { name: 'a/b', role: 'editor' } })).json;
    assert.match(rule.errors[0].reason,
      /^must be 1 to 64 characters: letters, digits and - _ \. @ : \(no spaces\), starting with a letter or a digit$/);
    const stored = sql(db.dbPath, 'SELECT name FROM token');
    for (const name of bad) assert.ok(!stored.includes(name), `${JSON.stringify(name)} was not stored`);
  });

  it('names of the allowed characters are made, and each can be revoked through the API', async () => {
    for (const name of ['alice@school.example', 'ci:deploy-2025', 'bob_smith.2', 'Z9', 'n'.repeat(64)]) {
      const r = await call(server.base, 'POST', TOKENS, { token: admin, json: { name, role: 'editor' } });
      assert.equal(r.status, 201, `${name}: ${r.text}`);
      const made = JSON.parse(r.text);
      assert.equal(made.name, name);
      const gone = await call(server.base, 'DELETE', `${TOKENS}/${encodeURIComponent(name)}`, { token: admin });
      assert.equal(gone.status, 204, `revoking ${name}: ${gone.text}`);
    }
    // Revoked, each (read from the list: trying the tokens would count as
    // failed sign-ins).
    const items = (await call(server.base, 'GET', TOKENS, { token: admin })).json.items;
    for (const name of ['alice@school.example', 'ci:deploy-2025', 'bob_smith.2', 'Z9', 'n'.repeat(64)])
      assert.ok(items.some((t) => t.name === name && t.revoked_at !== null), `${name} is revoked`);
  });

  it('bad bodies: 422 naming each problem; a taken name: 409', async () => {
    const bad = await call(server.base, 'POST', TOKENS, { token: admin, json: { name: '', role: 'owner', colour: 'red' } });
    assert.equal(bad.status, 422);
    assert.deepEqual(JSON.parse(bad.text).errors.map((e) => e.name).sort(), ['/colour', '/name', '/role']);
    const taken = await call(server.base, 'POST', TOKENS, { token: admin, json: { name: 'alice', role: 'admin' } });
    assert.equal(taken.status, 409);
  });
});
