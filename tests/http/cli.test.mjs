// The command line: --help, bad options, environment variables, and what
// happens to an existing database on start.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { BINARY, REPO, startServer, tempDir } from './lib/server.mjs';
import { get } from './lib/http.mjs';
import { ORGS, assertProblem, sql } from './lib/api.mjs';

function run(args, env = {}) {
  const r = spawnSync(BINARY, args, { encoding: 'utf8', timeout: 10_000, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return r;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The number of migrations in db/ (001_..., 002_...): the schema version a
// migrated database must reach.
const MIGRATIONS = readdirSync(path.join(REPO, 'db')).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort();
const LATEST = Math.max(...MIGRATIONS.map((f) => parseInt(f, 10)));

describe('options', () => {
  it('--help lists the commands and options and exits 0', () => {
    const r = run(['--help']);
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout + r.stderr;
    for (const word of ['serve', '--port', '--bind', '--db']) assert.ok(out.includes(word), `${word} in:\n${out}`);
  });

  it('an unknown option prints usage to stderr and exits 2', () => {
    for (const args of [['--no-such-option'], ['serve', '--no-such-option'], ['-Z']]) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}, signal ${r.signal}\n${r.stderr}`);
      assert.match(r.stderr, /usage/i, `${args.join(' ')}: usage on stderr`);
    }
  });

  it('an unknown command exits 2 with usage', () => {
    const r = run(['frobnicate']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /usage/i);
  });
});

describe('serve', () => {
  it('prints its listening line, serves, and stops on SIGTERM', async () => {
    const s = await startServer();
    try {
      assert.match(s.stderr(), /^signpost: listening on http:\/\/127\.0\.0\.1:\d+$/m);
      assert.equal(s.stderr().match(/listening on/g).length, 1, 'exactly one listening line');
      const r = await get(s.base + '/healthz');
      assert.equal(r.status, 200);
    } finally {
      const result = await s.stop();
      assert.ok(result.code === 0 || result.signal === 'SIGTERM', JSON.stringify(result));
    }
  });

  it('takes the port and the database from SIGNPOST_PORT and SIGNPOST_DB', async () => {
    const { dir, remove } = await tempDir();
    const dbPath = path.join(dir, 'from-env.db');
    const port = await freePort();
    try {
      const s = await startServer({
        args: ['serve', '--bind', '127.0.0.1'],
        env: { SIGNPOST_PORT: String(port), SIGNPOST_DB: dbPath },
      });
      try {
        assert.equal(s.port, port, 'listens on SIGNPOST_PORT');
        assert.ok(existsSync(dbPath), 'created the database at SIGNPOST_DB');
        const r = await get(`${s.base}${ORGS}?per_page=1`);
        assert.equal(r.status, 200);
        assert.ok(r.json.total > 0, 'seeded');
      } finally {
        await s.stop();
      }
    } finally {
      await remove();
    }
  });

  it('a database that does not exist is created, migrated and seeded', async () => {
    const s = await startServer({ keepDb: true });
    try {
      assert.ok(existsSync(s.dbPath));
      assert.equal(Number(sql(s.dbPath, 'PRAGMA user_version')[0]), LATEST);
      const total = (await get(`${s.base}${ORGS}?per_page=1`)).json.total;
      assert.equal(total, Number(sql(s.dbPath, 'SELECT count(*) FROM organisation WHERE archived_at IS NULL')[0]));
      assert.ok(total > 0);
    } finally {
      await s.stop();
      await rm(s.dir, { recursive: true, force: true });
    }
  });
});

describe('an existing database', () => {
  it('is not reseeded: a deleted organisation stays deleted after a restart', async () => {
    const first = await startServer({ keepDb: true });
    const dir = first.dir;
    try {
      const list = (await get(`${first.base}${ORGS}?per_page=100`)).json;
      const victim = list.items[list.items.length - 1];
      assert.equal((await get(first.base + victim.url)).status, 200);
      await first.stop();

      sql(first.dbPath, `PRAGMA foreign_keys=ON; DELETE FROM organisation WHERE slug='${victim.slug}'`);
      assert.equal(sql(first.dbPath, `SELECT count(*) FROM organisation WHERE slug='${victim.slug}'`)[0], '0');
      const version = sql(first.dbPath, 'PRAGMA user_version')[0];

      const second = await startServer({ dbPath: first.dbPath });
      try {
        assertProblem(await get(second.base + victim.url), 404, `${victim.slug} after restart`);
        const after = (await get(`${second.base}${ORGS}?per_page=100`)).json;
        assert.equal(after.total, list.total - 1);
        assert.ok(!after.items.some((o) => o.slug === victim.slug));
        const search = await get(`${second.base}${ORGS}?q=${encodeURIComponent(victim.name)}`);
        assert.ok(!search.json.items.some((o) => o.slug === victim.slug), 'not found by search either');
      } finally {
        await second.stop();
      }
      assert.equal(sql(first.dbPath, 'PRAGMA user_version')[0], version, 'no migration re-ran');
      assert.equal(sql(first.dbPath, `SELECT count(*) FROM organisation WHERE slug='${victim.slug}'`)[0], '0');
    } finally {
      await first.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is migrated forward from an older schema version, and not seeded', async () => {
    const { dir, remove } = await tempDir();
    const dbPath = path.join(dir, 'old.db');
    try {
      // A database at version 1: only the first migration has run.
      const first = MIGRATIONS[0];
      sql(dbPath, `BEGIN; ${readFileSync(path.join(REPO, 'db', first), 'utf8')}; PRAGMA user_version=${parseInt(first, 10)}; COMMIT;`);
      assert.equal(sql(dbPath, "SELECT count(*) FROM sqlite_master WHERE name='org_fts'")[0], '0');

      const s = await startServer({ dbPath });
      try {
        const r = await get(`${s.base}${ORGS}?q=online`);
        assert.equal(r.status, 200, 'search works: the search migration ran');
        assert.equal(r.json.total, 0, 'an existing database is not seeded');
        assert.equal((await get(`${s.base}${ORGS}`)).json.total, 0);
      } finally {
        await s.stop();
      }
      assert.equal(Number(sql(dbPath, 'PRAGMA user_version')[0]), LATEST, 'migrated to the latest version');
      assert.equal(sql(dbPath, "SELECT count(*) FROM sqlite_master WHERE name='org_fts'")[0], '1');
      assert.equal(sql(dbPath, 'SELECT count(*) FROM organisation')[0], '0');
    } finally {
      await remove();
    }
  });
});
