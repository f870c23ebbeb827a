// The organisations list as CSV (GET /api/v1/organisations?format=csv, or
// Accept: text/csv), and the operational routes: GET /metrics (Prometheus
// text), /healthz and /readyz. API answers are validated against the
// OpenAPI document (get/raw/call run checkResponse).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertInvalidParams, parseLink } from '../http/lib/api.mjs';
import { raw } from '../http/lib/http.mjs';
import {
  ORGS, call, createToken, get, newOrg, parseCsv, startServer, tempDb,
} from './lib/curation.mjs';

const HEADER = ['id', 'slug', 'name', 'summary', 'kind', 'coverage', 'website', 'audiences', 'topics', 'phone',
  'last_reviewed', 'url'];
const CSV_TYPE = 'text/csv; charset=utf-8; header=present';

let db, server, base, token;

before(async () => {
  db = await tempDb();
  token = await createToken(db.dbPath, 'carol', 'editor');
  server = await startServer({ dbPath: db.dbPath });
  base = server.base;
});
after(async () => {
  await server?.stop();
  await db?.remove();
});

// The CSV row the JSON summary o (and its detail's first phone) should give.
function expectedRow(o, phone) {
  return [o.id, o.slug, o.name, o.summary, o.kind, o.coverage, o.website ?? '', o.audiences.join(';'),
    o.topics.join(';'), phone ?? '', o.last_reviewed ?? '', o.url];
}

async function firstPhone(slug) {
  const d = (await get(`${base}${ORGS}/${slug}`)).json;
  return d.contacts.find((c) => c.kind === 'phone')?.value;
}

// Undoes the formula guard of a cell, for comparing with JSON: one
// apostrophe off a cell whose first character after its apostrophes is one
// of = + - @ TAB CR (views/csv.h).
const unguard = (s) => (/^'+[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

describe('GET /api/v1/organisations as CSV', () => {
  it('format=csv: the page\'s organisations, one row each, as the JSON page has them', async () => {
    const params = 'per_page=7&page=2';
    const json = (await get(`${base}${ORGS}?${params}`)).json;
    const r = await raw(base, { path: `${ORGS}?${params}&format=csv` });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], CSV_TYPE);
    assert.equal(r.headers.vary, 'Accept-Encoding, Accept');
    assert.equal(r.headers['cache-control'], 'public, max-age=60');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.match(r.headers.etag, /^"[0-9a-f]{16}"$/);
    assert.ok(r.text.endsWith('\r\n'), 'CRLF line ends');
    assert.ok(!/[^\r]\n/.test(r.text), 'every line ends in CRLF');
    const rows = parseCsv(r.text);
    assert.deepEqual(rows[0], HEADER, 'the header row');
    assert.equal(rows.length - 1, json.items.length, 'one row per organisation of the page');
    for (const [i, o] of json.items.entries()) {
      assert.deepEqual(rows[i + 1].map(unguard), expectedRow(o, await firstPhone(o.slug)), `row ${i + 1}: ${o.slug}`);
    }
    assert.ok(rows.slice(1).some((row) => row[7].includes(';')), 'audiences are ;-separated');
  });

  it('the Link header keeps format=csv and the filters; following rel="next" gives every organisation once', async () => {
    const json = await get(`${base}${ORGS}?topic=online-abuse&per_page=100`);
    const want = json.json.items.map((o) => o.slug);
    assert.ok(want.length > 3);
    const seen = [];
    let next = `${ORGS}?topic=online-abuse&per_page=3&format=csv`;
    for (let guard = 0; next && guard < 50; guard++) {
      const r = await raw(base, { path: next });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['content-type'], CSV_TYPE);
      const links = parseLink(r.headers.link);
      for (const [rel, uri] of Object.entries(links)) {
        assert.match(uri, /[?&]format=csv(&|$)/, `${rel} keeps format=csv: ${uri}`);
        assert.match(uri, /[?&]topic=online-abuse(&|$)/, `${rel} keeps the filter: ${uri}`);
        assert.match(uri, /[?&]per_page=3(&|$)/);
      }
      const rows = parseCsv(r.text);
      assert.deepEqual(rows[0], HEADER);
      seen.push(...rows.slice(1).map((row) => row[1]));
      next = links.next;
    }
    assert.deepEqual(seen, want);
  });

  it('Accept: text/csv without format answers CSV too; format=json answers JSON whatever Accept says', async () => {
    const path = `${ORGS}?q=online&per_page=5`;
    const byFormat = await raw(base, { path: `${path}&format=csv` });
    const byAccept = await raw(base, { path, headers: { accept: 'text/csv' } });
    assert.equal(byAccept.status, 200);
    assert.equal(byAccept.headers['content-type'], CSV_TYPE);
    assert.equal(byAccept.headers.vary, 'Accept-Encoding, Accept');
    assert.equal(byAccept.text, byFormat.text, 'the same CSV');
    assert.ok(Object.values(parseLink(byAccept.headers.link)).every((u) => /[?&]format=csv(&|$)/.test(u)),
      'the links say format=csv, so they give CSV to any client');
    const json = await raw(base, { path: `${path}&format=json`, headers: { accept: 'text/csv' } });
    assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(json.headers.vary, 'Accept-Encoding, Accept');
    assert.ok(Array.isArray(json.json.items));
    const plain = await raw(base, { path });
    assert.equal(plain.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(plain.headers.vary, 'Accept-Encoding, Accept', 'the JSON answer varies on Accept as well');
  });

  it('an Accept that refuses or ranks CSV below JSON gets JSON', async () => {
    for (const accept of ['text/csv;q=0', 'application/json, text/csv;q=0.1']) {
      const r = await raw(base, { path: `${ORGS}?per_page=2`, headers: { accept } });
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8', `Accept: ${accept}`);
    }
  });

  it('the response cache keeps the JSON and the CSV answers of one URL apart', async () => {
    const path = `${ORGS}?per_page=4&page=3`;
    const types = [];
    for (const accept of [undefined, 'text/csv', undefined, 'text/csv', 'application/json']) {
      const r = await raw(base, { path, headers: accept ? { accept } : {} });
      assert.equal(r.status, 200);
      types.push(r.headers['content-type']);
    }
    assert.deepEqual(types, ['application/json; charset=utf-8', CSV_TYPE, 'application/json; charset=utf-8', CSV_TYPE,
      'application/json; charset=utf-8']);
  });

  it('ETag and If-None-Match, HEAD and gzip work as for JSON', async () => {
    const path = `${ORGS}?format=csv&per_page=50`;
    const r = await raw(base, { path });
    const again = await raw(base, { path, headers: { 'if-none-match': r.headers.etag } });
    assert.equal(again.status, 304);
    assert.equal(again.raw.length, 0);
    const head = await raw(base, { method: 'HEAD', path });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-type'], CSV_TYPE);
    assert.equal(head.headers.etag, r.headers.etag);
    assert.equal(head.raw.length, 0);
    const gz = await raw(base, { path, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.etag, r.headers.etag.replace(/"$/, '-gz"'));
    assert.equal(gz.text, r.text);
  });

  it('format other than json or csv is a 400 naming format (with every other bad parameter)', async () => {
    for (const f of ['xml', 'CSV', '', 'csv,json']) {
      const r = await get(`${base}${ORGS}?format=${encodeURIComponent(f)}`);
      const p = assertInvalidParams(r, ['format'], 'query', `format=${f}`);
      assert.match(p.errors[0].reason, /json or csv/);
    }
    const r = await get(`${base}${ORGS}?format=xml&page=0`, { headers: { accept: 'text/csv' } });
    assertInvalidParams(r, ['format', 'page'], 'query', 'two bad parameters');
  });

  it('quotes cells with commas, quotes and line breaks, and guards formulas; shows writes at once', async () => {
    const before = parseCsv((await raw(base, { path: `${ORGS}?q=xylophonic&format=csv` })).text);
    assert.equal(before.length, 1, 'only the header row before');
    const r = await call(base, 'POST', ORGS, {
      token,
      json: newOrg('xylophonic-trust', {
        name: '=HYPERLINK("http://evil.example","Xylophonic, Trust")',
        summary: 'Line one, "quoted"\nline two',
        coverage: '-Derby',
        website: null,
        audiences: ['children', 'parents'],
        topics: ['grooming', 'cyberbullying'],
        contacts: [{ kind: 'email', label: 'Email', value: 'x@example.org', hours: null },
          { kind: 'phone', label: 'Line', value: '0808 800 5000', hours: null }],
      }),
    });
    assert.equal(r.status, 201, r.text);
    const csv = (await raw(base, { path: `${ORGS}?q=xylophonic&format=csv` })).text;
    const rows = parseCsv(csv);
    assert.equal(rows.length, 2, csv);
    const row = Object.fromEntries(HEADER.map((h, i) => [h, rows[1][i]]));
    assert.equal(row.name, '\'=HYPERLINK("http://evil.example","Xylophonic, Trust")', 'a formula behind an apostrophe');
    assert.ok(csv.includes('"\'=HYPERLINK(""http://evil.example"",""Xylophonic, Trust"")"'), 'quoted, with quotes doubled');
    assert.equal(row.summary, 'Line one, "quoted"\nline two');
    assert.equal(row.coverage, '\'-Derby');
    assert.equal(row.website, '');
    assert.equal(row.audiences, 'children;parents');
    assert.equal(row.topics, 'grooming;cyberbullying');
    assert.equal(row.phone, '0808 800 5000', 'the first phone contact');
    assert.equal(row.last_reviewed, '');
    assert.equal(row.url, `${ORGS}/xylophonic-trust`);
    assert.equal(row.id, r.json.id);
  });
});

describe('the CSV formula guard', () => {
  it('guards a leading TAB and CR as well as = + - @, escapes an apostrophe before any of them, and leaves other apostrophes', async () => {
    const r = await call(base, 'POST', ORGS, {
      token,
      json: newOrg('guarded-marimba', {
        name: '\tmarimba=1+1',
        summary: '\rmarimba',
        coverage: "'=not a formula",
        website: null,
        kind: 'charity',
      }),
    });
    assert.equal(r.status, 201, r.text);
    const plain = await call(base, 'POST', ORGS, {
      token,
      json: newOrg('plain-marimba', { name: "'plain marimba", summary: "it's a marimba", coverage: "''@two", website: null }),
    });
    assert.equal(plain.status, 201, plain.text);
    const csv = (await raw(base, { path: `${ORGS}?q=marimba&format=csv` })).text;
    const rows = parseCsv(csv);
    assert.equal(rows.length, 3, csv);
    const bySlug = Object.fromEntries(rows.slice(1).map((x) => [x[1], Object.fromEntries(HEADER.map((h, i) => [h, x[i]]))]));
    const g = bySlug['guarded-marimba'], p = bySlug['plain-marimba'];
    assert.equal(g.name, "'\tmarimba=1+1", 'a leading TAB behind an apostrophe');
    assert.ok(csv.includes('"\'\tmarimba=1+1"'), 'quoted');
    assert.equal(g.summary, "'\rmarimba", 'a leading CR behind an apostrophe');
    assert.ok(csv.includes('"\'\rmarimba"'), 'quoted');
    assert.equal(g.coverage, "''=not a formula", 'an apostrophe before = gets one more');
    assert.equal(p.name, "'plain marimba", 'an apostrophe before anything else is left alone');
    assert.equal(p.summary, "it's a marimba");
    assert.equal(p.coverage, "'''@two", 'two apostrophes before @ get a third');
    for (const [slug, row] of Object.entries(bySlug)) {
      const json = (await get(`${base}${ORGS}/${slug}`)).json;
      for (const f of ['name', 'summary', 'coverage']) assert.equal(unguard(row[f]), json[f], `${slug} ${f} unguarded is the value`);
    }
    for (const row of rows) {
      for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `no cell starts like a formula: ${JSON.stringify(cell)}`);
    }
  });
});

// Parses a Prometheus text exposition into {samples: Map(series -> value), lines}.
function parseMetrics(text) {
  const samples = new Map();
  const lines = text.split('\n');
  assert.equal(lines.at(-1), '', 'ends with a newline');
  const typed = new Set();
  for (const line of lines.slice(0, -1)) {
    let m;
    if ((m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line))) {
      if (m[1] === 'TYPE') {
        assert.match(m[3], /^(counter|gauge|histogram|summary|untyped)$/, line);
        typed.add(m[2]);
      }
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$/.exec(line);
    assert.ok(m, `a well-formed sample line: ${JSON.stringify(line)}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(typed.has(m[1]) || typed.has(family), `# TYPE comes before ${m[1]}`);
    const key = m[1] + (m[2] || '');
    assert.ok(!samples.has(key), `${key} appears once`);
    samples.set(key, Number(m[3]));
  }
  return samples;
}

async function scrape() {
  const r = await raw(base, { path: '/metrics' });
  assert.equal(r.status, 200);
  return parseMetrics(r.text);
}

const ORGS_200 = 'signpost_requests_total{route="/api/v1/organisations",status="200"}';
const ORGS_400 = 'signpost_requests_total{route="/api/v1/organisations",status="400"}';

describe('GET /metrics', () => {
  it('is Prometheus text, never cached, outside CORS', async () => {
    const r = await raw(base, { path: '/metrics' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    const m = parseMetrics(r.text);
    for (const name of ['signpost_cache_hits_total', 'signpost_cache_misses_total', 'signpost_db_errors_total',
      'signpost_slow_clients_total', 'signpost_data_version', 'signpost_request_duration_seconds_count',
      'signpost_request_duration_seconds_sum']) {
      assert.ok(m.has(name), name);
    }
    assert.ok([...m.keys()].some((k) => /^signpost_build_info\{version="[^"]+",schema="\d+"\}$/.test(k)), 'build info');
  });

  it('signpost_requests_total counts answers by route and status', async () => {
    const before = await scrape();
    for (let i = 0; i < 5; i++) {
      assert.equal((await raw(base, { path: `${ORGS}?per_page=${i + 1}` })).status, 200);
    }
    assert.equal((await raw(base, { path: `${ORGS}?format=xml` })).status, 400);
    const afterwards = await scrape();
    assert.equal(afterwards.get(ORGS_200) - (before.get(ORGS_200) ?? 0), 5, ORGS_200);
    assert.equal(afterwards.get(ORGS_400) - (before.get(ORGS_400) ?? 0), 1, ORGS_400);
    assert.ok(afterwards.get('signpost_requests_total{route="/metrics",status="200"}') >= 1, 'the scrape itself counts');
  });

  it('the latency histogram is cumulative and ends with le="+Inf" equal to _count', async () => {
    await raw(base, { path: ORGS });
    const m = await scrape();
    const buckets = [...m.entries()].filter(([k]) => k.startsWith('signpost_request_duration_seconds_bucket{'))
      .map(([k, v]) => [/le="([^"]+)"/.exec(k)[1], v]);
    assert.ok(buckets.length >= 2);
    assert.equal(buckets.at(-1)[0], '+Inf', 'the last bucket is +Inf');
    for (let i = 1; i < buckets.length; i++) {
      assert.ok(buckets[i][1] >= buckets[i - 1][1], `cumulative: ${buckets[i - 1]} then ${buckets[i]}`);
      if (buckets[i][0] !== '+Inf') assert.ok(Number(buckets[i][0]) > Number(buckets[i - 1][0]), 'le ascending');
    }
    const count = m.get('signpost_request_duration_seconds_count');
    assert.equal(buckets.at(-1)[1], count, '+Inf equals _count');
    assert.ok(count > 0);
    assert.ok(m.get('signpost_request_duration_seconds_sum') > 0);
    const total = [...m.entries()].filter(([k]) => k.startsWith('signpost_requests_total{')).reduce((a, [, v]) => a + v, 0);
    assert.equal(total, count, 'every answer counted is timed');
  });

  it('signpost_cache_hits_total grows on a repeated GET; writes bump signpost_data_version', async () => {
    const path = `${ORGS}?q=cache-probe&per_page=3`;
    const before = await scrape();
    assert.equal((await raw(base, { path })).status, 200);
    const middle = await scrape();
    // A key is kept the second time it is asked for (the doorkeeper), and
    // served from the cache from the third.
    assert.equal((await raw(base, { path })).status, 200);
    assert.equal((await raw(base, { path })).status, 200);
    const afterwards = await scrape();
    assert.ok(middle.get('signpost_cache_misses_total') > before.get('signpost_cache_misses_total'), 'the first GET misses');
    assert.ok(afterwards.get('signpost_cache_hits_total') > middle.get('signpost_cache_hits_total'), 'a repeated one hits');

    const r = await call(base, 'POST', ORGS, { token, json: newOrg('metrics-bump') });
    assert.equal(r.status, 201, r.text);
    assert.ok((await scrape()).get('signpost_data_version') > afterwards.get('signpost_data_version'));
  });
});

describe('/healthz and /readyz', () => {
  it('/healthz is ok, /readyz is ready; text/plain, never cached', async () => {
    for (const [path, body] of [['/healthz', 'ok\n'], ['/readyz', 'ready\n']]) {
      const r = await raw(base, { path });
      assert.equal(r.status, 200, path);
      assert.equal(r.text, body);
      assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(r.headers['cache-control'], 'no-store');
      const head = await raw(base, { method: 'HEAD', path });
      assert.equal(head.status, 200);
      assert.equal(head.raw.length, 0);
      const options = await raw(base, { method: 'OPTIONS', path });
      assert.equal(options.status, 204);
      assert.equal(options.headers.allow, 'GET, HEAD, OPTIONS');
    }
  });
});
