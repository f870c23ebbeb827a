// Durability: a write storm (several curators adding organisations at once)
// is cut short by SIGKILL at a random moment, five times, restarting the
// server on the same database each time. Every write whose 201 reached its
// client must survive, the database must pass integrity_check, and no
// write may be half there. The moments come from a seeded generator
// (CRASH_SEED to replay a run).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from '../http/lib/api.mjs';
import { ORGS, call, createToken, get, newOrg, rng, startServer, tempDb } from './lib/curation.mjs';

const SEED = Number(process.env.CRASH_SEED || 0x5eed2026);
const ROUNDS = 5;
const CLIENTS = 6;

// Kills the server outright and waits for the process to be gone.
async function killHard(server) {
  const { child } = server;
  assert.equal(child.exitCode, null, `the server was still running (stderr: ${server.stderr()})`);
  assert.equal(child.signalCode, null);
  const gone = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal)));
  child.kill('SIGKILL');
  assert.equal(await gone, 'SIGKILL');
}

describe('SIGKILL during a write storm', () => {
  let db, token;
  const acked = new Set();
  const perRound = [];

  before(async () => {
    db = await tempDb('signpost-crash-');
    token = await createToken(db.dbPath, 'storm', 'editor');
  });
  after(async () => {
    await db?.remove();
  });

  it(`loses no acknowledged write over ${ROUNDS} kills (seed ${SEED})`, async (t) => {
    const random = rng(SEED);
    t.diagnostic(`CRASH_SEED=${SEED}`);
    for (let round = 1; round <= ROUNDS; round++) {
      const server = await startServer({ dbPath: db.dbPath });
      let killing = false;
      let ackedThisRound = 0;
      const clients = Array.from({ length: CLIENTS }, (_, c) => (async () => {
        for (let i = 0; !killing; i++) {
          const slug = `crash-r${round}-c${c}-${i}`;
          let r;
          try {
            r = await call(server.base, 'POST', ORGS, { token, json: newOrg(slug) });
          } catch (err) {
            if (killing) return; // the connection died with the server
            throw err;
          }
          // A 201 is an acknowledgement, even one that arrives as the kill lands.
          if (r.status === 201) {
            acked.add(slug);
            ackedThisRound++;
          } else {
            assert.fail(`round ${round}: POST ${slug} answered ${r.status}: ${r.text}`);
          }
        }
      })());
      const delay = 200 + Math.floor(random() * 601);
      await sleep(delay);
      killing = true;
      await killHard(server);
      await Promise.all(clients);
      perRound.push({ round, delay, acked: ackedThisRound });
      t.diagnostic(`round ${round}: killed after ${delay} ms, ${ackedThisRound} writes acknowledged`);
      assert.ok(ackedThisRound > 0, `round ${round}: some writes were acknowledged before the kill`);
    }

    // The file as the last kill left it.
    assert.deepEqual(sql(db.dbPath, 'PRAGMA integrity_check'), ['ok']);
    assert.deepEqual(sql(db.dbPath, 'PRAGMA foreign_key_check'), []);
    // Whole writes or nothing: each record has both contacts and its revision.
    assert.deepEqual(sql(db.dbPath,
      "SELECT count(*) FROM organisation o WHERE o.slug LIKE 'crash-%' AND ((SELECT count(*) FROM contact c " +
      'WHERE c.org_pk = o.pk) <> 2 OR (SELECT count(*) FROM revision r WHERE r.entity_id = o.id) <> 1)'), ['0']);
    const stored = new Set(sql(db.dbPath, "SELECT slug FROM organisation WHERE slug LIKE 'crash-%'"));
    const lost = [...acked].filter((s) => !stored.has(s));
    assert.deepEqual(lost, [], `acknowledged but lost (${lost.length} of ${acked.size})`);

    // And through the API of a server restarted once more.
    const server = await startServer({ dbPath: db.dbPath });
    try {
      const seen = new Set();
      for (let page = 1; ; page++) {
        const r = await get(`${server.base}${ORGS}?q=curation&per_page=100&page=${page}`);
        assert.equal(r.status, 200);
        for (const x of r.json.items) seen.add(x.slug);
        if (r.json.items.length === 0 || seen.size >= r.json.total) break;
      }
      const missing = [...acked].filter((s) => !seen.has(s));
      assert.deepEqual(missing, [], `acknowledged but not listed (${missing.length} of ${acked.size})`);
      const all = await get(`${server.base}${ORGS}?per_page=1`);
      const publicCount = Number(sql(db.dbPath, 'SELECT count(*) FROM organisation WHERE archived_at IS NULL')[0]);
      assert.equal(all.json.total, publicCount, 'the list counts every stored record');
      // Each acknowledged record by its own address (a sample of each round).
      for (let round = 1; round <= ROUNDS; round++) {
        const some = [...acked].filter((s) => s.startsWith(`crash-r${round}-`)).slice(0, 10);
        for (const slug of some) {
          const r = await get(`${server.base}${ORGS}/${slug}`);
          assert.equal(r.status, 200, slug);
          assert.equal(r.json.name, `Test organisation ${slug}`);
        }
      }
      // The server still takes writes.
      const more = await call(server.base, 'POST', ORGS, { token, json: newOrg('after-the-storm') });
      assert.equal(more.status, 201, more.text);
    } finally {
      await server.stop();
    }
    t.diagnostic(`${acked.size} acknowledged writes, ${stored.size} stored, all present`);
  });
});
