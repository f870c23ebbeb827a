#!/usr/bin/env node
// Signpost search relevance suite.
//
// Starts the real binary (SIGNPOST_BINARY, default build/signpost) on a free
// loopback port with a fresh seeded temporary database (tests/http/lib/server.mjs),
// runs every query in queries.json against
//   GET /api/v1/organisations?q=<q>&per_page=10
// and prints success@1, success@3, MRR, nDCG@5, the zero-result rate and the
// expect:none accuracy, per group and overall, then the worst queries.
//
//   node tests/relevance/run.mjs [--floors] [--json FILE] [--queries FILE] [--worst N]
//
//   --floors       exit 1 unless overall success@3 >= 0.90, zero-result rate
//                  <= 0.03 and no query answered other than 200.
//   --json FILE    write every number (and every query's result) to FILE.
//   --queries FILE another query file (.json array or .jsonl).
//   --worst N      how many worst queries to list (default 15).
//
// The last line printed is always "relevance: N passed, M failed".
// Exit codes: 0 done (floors met, or --floors not given), 1 floors not met,
// 2 the suite itself is broken (bad query file, unknown slug, server would not start).

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, BINARY } from '../http/lib/server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GROUPS = ['child', 'teen', 'parent', 'professional', 'worried-adult', 'local', 'deaf', 'edge'];
const EXPECTS = ['none', 'any', 'no-error'];
const FLOORS = { success3: 0.90, zeroRate: 0.03 };
const PER_PAGE = 10;
const REQUEST_TIMEOUT_MS = 10_000;

// ---- options ---------------------------------------------------------------
function parseArgs(argv) {
  const o = { floors: false, json: null, queries: path.join(HERE, 'queries.json'), worst: 15 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--floors') o.floors = true;
    else if (a === '--json') o.json = val();
    else if (a.startsWith('--json=')) o.json = a.slice(7);
    else if (a === '--queries') o.queries = val();
    else if (a.startsWith('--queries=')) o.queries = a.slice(10);
    else if (a === '--worst') o.worst = Number(val());
    else if (a === '-h' || a === '--help') usage(null);
    else usage(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.worst) || o.worst < 0) usage('--worst needs a whole number');
  return o;
}

function usage(err) {
  const text = 'usage: node tests/relevance/run.mjs [--floors] [--json FILE] [--queries FILE] [--worst N]';
  if (err) {
    console.error(`run.mjs: ${err}\n${text}`);
    console.log('relevance: 0 passed, 1 failed');
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

function broken(msg) {
  console.error(`relevance: the suite is broken: ${msg}`);
  console.log('relevance: 0 passed, 1 failed');
  process.exit(2);
}

// ---- the query file ----------------------------------------------------------
function loadQueries(file) {
  let text;
  try { text = readFileSync(file, 'utf8'); } catch (err) { broken(`cannot read ${file}: ${err.message}`); }
  let list;
  try {
    list = file.endsWith('.jsonl')
      ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
      : JSON.parse(text);
  } catch (err) { broken(`${file} is not valid JSON: ${err.message}`); }
  if (!Array.isArray(list) || list.length === 0) broken(`${file} holds no queries`);
  const problems = [];
  const seen = new Set();
  list.forEach((x, i) => {
    const at = `query ${i + 1} (${JSON.stringify(x && x.q)})`;
    if (!x || typeof x.q !== 'string') { problems.push(`${at}: "q" must be a string`); return; }
    if ([...x.q].length > 200) problems.push(`${at}: longer than the API's 200 characters`);
    if (!GROUPS.includes(x.group)) problems.push(`${at}: group must be one of ${GROUPS.join(', ')}`);
    if (seen.has(x.q)) problems.push(`${at}: duplicate`);
    seen.add(x.q);
    if (!x.grades || typeof x.grades !== 'object' || Array.isArray(x.grades)) problems.push(`${at}: "grades" must be an object`);
    for (const [s, g] of Object.entries(x.grades || {})) {
      if (g !== 1 && g !== 2) problems.push(`${at}: grade for ${s} must be 1 or 2`);
    }
    const n = Object.keys(x.grades || {}).length;
    if (x.expect !== undefined) {
      if (!EXPECTS.includes(x.expect)) problems.push(`${at}: expect must be one of ${EXPECTS.join(', ')}`);
      if (n) problems.push(`${at}: a query with "expect" has empty grades`);
    } else if (!n) {
      problems.push(`${at}: no grades and no "expect"`);
    }
    if (typeof x.note !== 'string' || !x.note) problems.push(`${at}: needs a "note"`);
  });
  if (problems.length) broken(`${file}:\n  ${problems.join('\n  ')}`);
  return list;
}

// ---- HTTP ----------------------------------------------------------------------
async function getJson(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: 'manual' });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, text, json };
  } catch (err) {
    return { status: 0, text: String(err && err.message || err), json: undefined };
  }
}

async function directorySlugs(base) {
  const slugs = new Set();
  for (let page = 1; page < 100; page++) {
    const r = await getJson(`${base}/api/v1/organisations?per_page=100&page=${page}`);
    if (r.status !== 200 || !r.json || !Array.isArray(r.json.items)) {
      throw new Error(`listing the directory: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    }
    for (const o of r.json.items) slugs.add(o.slug);
    if (r.json.items.length === 0 || slugs.size >= r.json.total) break;
  }
  return slugs;
}

// ---- metrics -------------------------------------------------------------------
const log2 = (x) => Math.log(x) / Math.LN2;

function score(query, slugs) {
  const grades = query.grades;
  const gain = (s) => grades[s] || 0;
  const hasTwo = Object.values(grades).includes(2);
  const isTarget = (s) => (hasTwo ? gain(s) === 2 : gain(s) >= 1);
  const success1 = slugs.length > 0 && isTarget(slugs[0]);
  const success3 = slugs.slice(0, 3).some(isTarget);
  const firstGraded = slugs.findIndex((s) => gain(s) >= 1);
  const rr = firstGraded < 0 ? 0 : 1 / (firstGraded + 1);
  const dcg = slugs.slice(0, 5).reduce((sum, s, i) => sum + gain(s) / log2(i + 2), 0);
  const ideal = Object.values(grades).sort((a, b) => b - a).slice(0, 5)
    .reduce((sum, g, i) => sum + g / log2(i + 2), 0);
  const ndcg5 = ideal > 0 ? dcg / ideal : 0;
  return { success1, success3, rr, ndcg5 };
}

function evaluate(query, r) {
  const out = {
    q: query.q, group: query.group, expect: query.expect || null, grades: query.grades,
    status: r.status, total: null, slugs: [], error: null, pass: false,
  };
  if (r.status !== 200) {
    out.error = `HTTP ${r.status}: ${r.text.replace(/\s+/g, ' ').slice(0, 200)}`;
  } else if (!r.json || !Array.isArray(r.json.items)) {
    out.error = `200 but the body has no items array: ${r.text.slice(0, 200)}`;
  } else {
    out.slugs = r.json.items.map((o) => o.slug);
    out.total = r.json.total;
  }
  const ok = !out.error;
  const empty = ok && out.slugs.length === 0;
  if (!query.expect) {
    Object.assign(out, score(query, out.slugs));
    out.zero = ok ? empty : true;
    out.pass = ok && out.success3;
  } else if (query.expect === 'none') {
    out.pass = ok && empty;
  } else if (query.expect === 'any') {
    out.zero = ok ? empty : true;
    out.pass = ok && !empty;
  } else {
    out.pass = ok;
  }
  return out;
}

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function summarise(results) {
  const graded = results.filter((x) => !x.expect);
  const expectSomething = results.filter((x) => !x.expect || x.expect === 'any');
  const none = results.filter((x) => x.expect === 'none');
  return {
    queries: results.length,
    graded: graded.length,
    success1: mean(graded.map((x) => (x.success1 ? 1 : 0))),
    success3: mean(graded.map((x) => (x.success3 ? 1 : 0))),
    mrr: mean(graded.map((x) => x.rr)),
    ndcg5: mean(graded.map((x) => x.ndcg5)),
    zeroRate: mean(expectSomething.map((x) => (x.zero ? 1 : 0))),
    zeroBase: expectSomething.length,
    noneCorrect: mean(none.map((x) => (x.pass ? 1 : 0))),
    noneBase: none.length,
    errors: results.filter((x) => x.error).length,
    passed: results.filter((x) => x.pass).length,
    failed: results.filter((x) => !x.pass).length,
  };
}

// ---- printing ------------------------------------------------------------------
const f = (x) => (x === null ? '   - ' : x.toFixed(2).padStart(5));
const pad = (s, n) => String(s).padEnd(n);

function printTable(rows) {
  console.log(`${pad('group', 14)} ${'n'.padStart(4)} ${'graded'.padStart(6)}  s@1   s@3   MRR  nDCG5  zero(n)     none-ok(n)  errors  pass/fail`);
  for (const [name, s] of rows) {
    console.log(`${pad(name, 14)} ${String(s.queries).padStart(4)} ${String(s.graded).padStart(6)} ${f(s.success1)} ${f(s.success3)} ${f(s.mrr)} ${f(s.ndcg5)}  ` +
      `${f(s.zeroRate)}(${String(s.zeroBase).padStart(3)})  ${f(s.noneCorrect)}(${String(s.noneBase).padStart(2)})  ` +
      `${String(s.errors).padStart(6)}  ${s.passed}/${s.failed}`);
  }
}

const show = (s) => JSON.stringify(s);

function describeReturned(x, n = 5) {
  if (x.error) return x.error;
  if (!x.slugs.length) return '(nothing)';
  const top = x.slugs.slice(0, n).map((s) => (x.grades[s] ? `${s}[${x.grades[s]}]` : s)).join(', ');
  return `${top}${x.slugs.length > n ? `, ... (${x.total} in all)` : ''}`;
}

function wanted(x) {
  const twos = Object.keys(x.grades).filter((s) => x.grades[s] === 2);
  const ones = Object.keys(x.grades).filter((s) => x.grades[s] === 1);
  return `${twos.length ? `top 3: ${twos.join(' | ')}` : 'top 3: any of the grade-1s'}${ones.length ? `; also ok: ${ones.join(', ')}` : ''}`;
}

// ---- main ------------------------------------------------------------------------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const queries = loadQueries(opts.queries);

  let srv;
  try {
    srv = await startServer();
  } catch (err) {
    broken(`cannot start ${BINARY} (build it with \`make BUILD=... all\` or set SIGNPOST_BINARY): ${err.message}`);
  }
  const stopServer = async () => {
    try { await srv.stop(); } catch (err) { console.error(`relevance: stopping the server: ${err.message}`); }
  };
  process.once('SIGINT', async () => { await stopServer(); process.exit(130); });

  let results;
  try {
    const known = await directorySlugs(srv.base);
    const unknown = [];
    for (const x of queries) for (const s of Object.keys(x.grades)) if (!known.has(s)) unknown.push(`${s} (in ${show(x.q)})`);
    if (unknown.length) {
      await stopServer();
      broken(`graded slugs that are not in the directory: ${[...new Set(unknown)].join(', ')}`);
    }
    results = [];
    for (const x of queries) {
      const url = `${srv.base}/api/v1/organisations?q=${encodeURIComponent(x.q)}&per_page=${PER_PAGE}`;
      results.push(evaluate(x, await getJson(url)));
    }
  } catch (err) {
    await stopServer();
    broken(err.message);
  }
  await stopServer();

  const overall = summarise(results);
  const groups = {};
  for (const g of GROUPS) {
    const rs = results.filter((x) => x.group === g);
    if (rs.length) groups[g] = summarise(rs);
  }

  console.log(`Signpost relevance: ${results.length} queries against ${BINARY}`);
  console.log('s@1/s@3/MRR/nDCG5 over graded queries; zero = share of queries expected to find something ' +
    '(graded or expect:any) that found nothing; none-ok = share of expect:none queries that found nothing.\n');
  printTable([...Object.entries(groups), ['OVERALL', overall]]);

  const errored = results.filter((x) => x.error);
  if (errored.length) {
    console.log(`\nQueries that did not answer 200 (${errored.length}):`);
    for (const x of errored) console.log(`  [${x.group}] ${show(x.q)}: ${x.error}`);
  }

  const ungradedFailures = results.filter((x) => x.expect && !x.pass && !x.error);
  if (ungradedFailures.length) {
    console.log(`\nUngraded queries that missed their expectation (${ungradedFailures.length}):`);
    for (const x of ungradedFailures) {
      const why = x.expect === 'none' ? 'should find nothing' : 'should find something';
      console.log(`  [${x.group}] ${show(x.q)} (${why}): ${describeReturned(x)}`);
    }
  }

  const worst = results.filter((x) => !x.expect)
    .sort((a, b) => a.rr - b.rr || a.ndcg5 - b.ndcg5 || a.q.localeCompare(b.q))
    .slice(0, opts.worst);
  if (worst.length) {
    console.log(`\nThe ${worst.length} worst graded queries (by reciprocal rank, then nDCG@5):`);
    for (const x of worst) {
      console.log(`  [${x.group}] ${show(x.q)}  RR ${x.rr.toFixed(2)}  nDCG5 ${x.ndcg5.toFixed(2)}`);
      console.log(`      wanted: ${wanted(x)}`);
      console.log(`      got:    ${describeReturned(x)}`);
    }
  }

  const floorProblems = [];
  if (!(overall.success3 >= FLOORS.success3)) floorProblems.push(`success@3 ${f(overall.success3).trim()} < ${FLOORS.success3}`);
  if (!(overall.zeroRate <= FLOORS.zeroRate)) floorProblems.push(`zero-result rate ${f(overall.zeroRate).trim()} > ${FLOORS.zeroRate}`);
  if (overall.errors) floorProblems.push(`${overall.errors} queries did not answer 200`);

  if (opts.json) {
    const doc = {
      binary: BINARY, queries: opts.queries, per_page: PER_PAGE, floors: FLOORS,
      floors_met: floorProblems.length === 0, floor_problems: floorProblems,
      overall, groups, results,
    };
    try { writeFileSync(opts.json, JSON.stringify(doc, null, 2) + '\n'); } catch (err) {
      console.error(`relevance: cannot write ${opts.json}: ${err.message}`);
    }
  }

  console.log('');
  if (opts.floors) {
    console.log(floorProblems.length
      ? `relevance floors NOT met: ${floorProblems.join('; ')}`
      : `relevance floors met (success@3 >= ${FLOORS.success3}, zero-result rate <= ${FLOORS.zeroRate}, no errors)`);
  }
  console.log(`relevance: ${overall.passed} passed, ${overall.failed} failed`);
  process.exitCode = opts.floors && floorProblems.length ? 1 : 0;
}

main().catch((err) => {
  console.error(err && err.stack || err);
  console.log('relevance: 0 passed, 1 failed');
  process.exit(2);
});
