// The public report form's limit (five reports per address per ten
// minutes) holds per address: two addresses that shared a slot of the old
// direct-mapped table (util_hash(address) % 256) neither reset nor unblock
// each other's count by taking turns.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../http/lib/api.mjs';
import { startServer, tempDb } from '../curation/lib/curation.mjs';
import { collidingPairs, requestFrom } from '../curation/lib/loopback.mjs';

const PER_WINDOW = 5;
const FORM = '/organisations/childline/report';

describe('the report form limit holds per address', () => {
  let db, server;
  const pairs = collidingPairs(256);

  before(async () => {
    db = await tempDb('signpost-report-limits-');
    server = await startServer({ dbPath: db.dbPath });
  });
  after(async () => {
    await server?.stop();
    await db?.remove();
  });

  const send = (from, details) => requestFrom(server.base, from, {
    method: 'POST', path: FORM,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'what=phone&details=' + encodeURIComponent(details),
  });
  const stored = (details) => Number(sql(db.dbPath,
    `SELECT count(*) FROM report WHERE details = '${details.replace(/'/g, "''")}'`)[0]);

  function assertRefused(r, what) {
    assert.equal(r.status, 429, `${what}: ${r.text.slice(0, 300)}`);
    assert.equal(r.headers['retry-after'], '600', what);
    assert.match(r.text, /Too many reports from your connection/, what);
  }

  it('the old table had colliding loopback addresses to test with', () => {
    assert.ok(pairs.length >= 3, `pairs of 127.0.0.x sharing a slot of 256: ${JSON.stringify(pairs)}`);
  });

  it('two addresses taking turns are each limited to five reports', async () => {
    const [a, b] = pairs[0];
    for (let i = 1; i <= PER_WINDOW; i++) {
      assert.equal((await send(a, `turns from a ${i}`)).status, 200, `${a} report ${i}`);
      assert.equal((await send(b, `turns from b ${i}`)).status, 200, `${b} report ${i}`);
    }
    for (let i = 0; i < 3; i++) {
      assertRefused(await send(a, 'turns from a, one too many'), `${a}, one too many`);
      assertRefused(await send(b, 'turns from b, one too many'), `${b}, one too many`);
    }
    assert.equal(stored('turns from a, one too many') + stored('turns from b, one too many'), 0, 'nothing more stored');
    assert.equal((await send('127.0.1.20', 'from another address')).status, 200, 'another address is not limited');
  });

  it('a report from a neighbour does not unblock a limited address', async () => {
    const [limited, neighbour] = pairs[1];
    for (let i = 1; i <= PER_WINDOW; i++) assert.equal((await send(limited, `limited ${i}`)).status, 200);
    assertRefused(await send(limited, 'limited, one too many'), 'one too many');
    assert.equal((await send(neighbour, 'the neighbour reports once')).status, 200, 'the neighbour may report');
    assertRefused(await send(limited, 'limited, after the neighbour'), 'still limited after the neighbour reported');
    assert.equal(stored('limited, after the neighbour'), 0);
  });
});
