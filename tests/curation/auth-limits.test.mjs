// The failed-token limits hold per key. Failures are counted per address
// and presented token (five a minute, then that token waits) and per
// address (twenty a minute, then every token from the address waits):
// a colleague behind the same NAT with a valid token is not locked out by
// someone else's wrong one, and an address that shared a slot of the old
// direct-mapped table (util_hash(address) % 1024) neither resets nor
// unblocks another's count.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createToken, startServer, tempDb } from './lib/curation.mjs';
import { collidingPairs, requestFrom } from './lib/loopback.mjs';

const QUEUE = '/api/v1/review-queue';
const PER_TOKEN = 5;
const PER_ADDRESS = 20;

describe('failed tokens are counted per address and per token', () => {
  let db, server, editor;
  // Each test uses its own addresses: the counts last a minute.
  const pairs = collidingPairs(1024);

  before(async () => {
    db = await tempDb('signpost-auth-limits-');
    editor = await createToken(db.dbPath, 'alice', 'editor');
    server = await startServer({ dbPath: db.dbPath });
  });
  after(async () => {
    await server?.stop();
    await db?.remove();
  });

  const attempt = (from, token) =>
    requestFrom(server.base, from, { path: QUEUE, headers: { authorization: `Bearer ${token}` } });

  function assertLockedOut(r, what) {
    assert.equal(r.status, 429, `${what}: ${r.text}`);
    const wait = Number(r.headers['retry-after']);
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `${what}: Retry-After ${r.headers['retry-after']}`);
    assert.equal(r.headers['cache-control'], 'no-store', what);
  }

  it('the old table had colliding loopback addresses to test with', () => {
    assert.ok(pairs.length >= 4, `pairs of 127.0.0.x sharing a slot of 1024: ${JSON.stringify(pairs)}`);
  });

  it('a valid token still works from an address where another token failed five times (one NAT)', async () => {
    const office = '127.0.1.10';
    const stale = 'sp_' + 'S'.repeat(43); // a script with an old token, retrying
    for (let i = 1; i <= PER_TOKEN; i++) assert.equal((await attempt(office, stale)).status, 401, `try ${i}`);
    const sixth = await attempt(office, stale);
    assertLockedOut(sixth, 'the sixth try of the same wrong token');
    assert.match(sixth.json.detail, /with this token/);
    const colleague = await attempt(office, editor);
    assert.equal(colleague.status, 200, `a colleague's valid token from the same address: ${colleague.text}`);
    // The waiting token is refused without being counted again.
    assertLockedOut(await attempt(office, stale), 'the wrong token, still');
    assert.equal((await attempt(office, editor)).status, 200);
  });

  it('a colleague mistyping a few times does not lock out the valid tokens from the address', async () => {
    const office = '127.0.1.11';
    for (let i = 1; i < PER_ADDRESS; i++) {
      const r = await attempt(office, `sp_typo${i}`);
      assert.equal(r.status, 401, `mistyped token ${i}: ${r.text}`);
    }
    assert.equal((await attempt(office, editor)).status, 200, 'nineteen failures: valid tokens still work');
  });

  it('twenty wrong tokens lock out the whole address, valid tokens too; other addresses are not affected', async () => {
    const guesser = '127.0.1.12';
    for (let i = 1; i <= PER_ADDRESS; i++) assert.equal((await attempt(guesser, `sp_guess${i}`)).status, 401, `guess ${i}`);
    const next = await attempt(guesser, 'sp_guess-next');
    assertLockedOut(next, 'the next guess');
    assert.match(next.json.detail, /to sign in from this address/);
    assertLockedOut(await attempt(guesser, editor), 'a valid token from the locked-out address');
    assert.equal((await attempt('127.0.1.13', editor)).status, 200, 'another address');
  });

  it('two addresses sharing an old slot, taking turns with one wrong token, are each limited', async () => {
    const [a, b] = pairs[0];
    const wrong = 'sp_' + 'W'.repeat(43);
    for (let i = 1; i <= PER_TOKEN; i++) {
      assert.equal((await attempt(a, wrong)).status, 401, `${a} try ${i}`);
      assert.equal((await attempt(b, wrong)).status, 401, `${b} try ${i}`);
    }
    assertLockedOut(await attempt(a, wrong), `${a}, sixth try`);
    assertLockedOut(await attempt(b, wrong), `${b}, sixth try`);
  });

  it('two addresses sharing an old slot, taking turns with different wrong tokens, each reach the address cap', async () => {
    const [a, b] = pairs[1];
    for (let i = 1; i <= PER_ADDRESS; i++) {
      assert.equal((await attempt(a, `sp_a${i}`)).status, 401, `${a} guess ${i}`);
      assert.equal((await attempt(b, `sp_b${i}`)).status, 401, `${b} guess ${i}`);
    }
    assertLockedOut(await attempt(a, editor), `${a} with a valid token`);
    assertLockedOut(await attempt(b, editor), `${b} with a valid token`);
  });

  it('one failure from a neighbour does not unblock a locked-out address', async () => {
    const [locked, neighbour] = pairs[2];
    for (let i = 1; i <= PER_ADDRESS; i++) await attempt(locked, `sp_x${i}`);
    assertLockedOut(await attempt(locked, 'sp_x-next'), 'locked out');
    assert.equal((await attempt(neighbour, 'sp_neighbour')).status, 401, 'the neighbour fails once');
    assertLockedOut(await attempt(locked, 'sp_x-after'), 'still locked out after the neighbour failed');
    assertLockedOut(await attempt(locked, editor), 'a valid token, still locked out');
    assert.equal((await attempt(neighbour, editor)).status, 200, 'the neighbour itself is not locked out');
  });
});
