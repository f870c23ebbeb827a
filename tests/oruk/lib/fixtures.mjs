// Servers and databases for the feed tests: start the real binary on a fresh
// (or given) database, and write hostile records straight into a database
// with the sqlite3 CLI while no server has it open.

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startServer, tempDir } from '../../http/lib/server.mjs';

// Starts signpost on dbPath (created and seeded if missing).
export function startFeed({ dbPath, publicUrl } = {}) {
  const args = ['serve', '--port', '0', '--bind', '127.0.0.1', '--db', dbPath, '--access-log', 'off'];
  if (publicUrl) args.push('--public-url', publicUrl);
  return startServer({ dbPath, args });
}

// Starts signpost on a new temporary database; its stop() also removes it.
export async function freshFeed({ publicUrl } = {}) {
  const { dir, remove } = await tempDir('signpost-oruk-');
  let server;
  try {
    server = await startFeed({ dbPath: path.join(dir, 'signpost.db'), publicUrl });
  } catch (err) {
    await remove();
    throw err;
  }
  const stop = server.stop;
  return { ...server, stop: async () => { try { return await stop(); } finally { await remove(); } } };
}

// A temporary directory with a created and seeded database in it: the
// server is started once (which creates and seeds it) and stopped.
export async function seededDb(prefix = 'signpost-oruk-') {
  const { dir, remove } = await tempDir(prefix);
  const dbPath = path.join(dir, 'signpost.db');
  const server = await startFeed({ dbPath });
  await server.stop();
  return { dir, dbPath, remove };
}

export function sqlite(dbPath, sql) {
  return execFileSync('sqlite3', ['-bail', dbPath], { input: sql, encoding: 'utf8' });
}

const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);

export const LS = '\u2028'; // LINE SEPARATOR: legal in JSON, not in JS string literals before ES2019
export const SCRIPT = '<script>alert(1)</script>';
export const JS_URL = 'javascript:alert(1)';

// Inserts an organisation with resources and contacts; values are written as
// given. Returns the ids. Terms are linked by slug.
export function insertOrganisation(dbPath, org) {
  const id = org.id || randomUUID();
  const resources = (org.resources || []).map((r) => ({ ...r, id: r.id || randomUUID() }));
  const sql = [
    'PRAGMA foreign_keys = ON;',
    'BEGIN;',
    `INSERT INTO organisation (id, slug, name, summary, description, website, kind, coverage, last_reviewed, source)
     VALUES (${[id, org.slug, org.name, org.summary ?? '', org.description ?? '', org.website ?? null,
    org.kind || 'charity', org.coverage || 'UK', org.last_reviewed ?? null, 'oruk tests'].map(q).join(', ')});`,
    ...(org.contacts || []).map((c, i) =>
      `INSERT INTO contact (org_pk, position, kind, label, value, hours)
       SELECT pk, ${i}, ${q(c.kind)}, ${q(c.label ?? c.kind)}, ${q(c.value)}, ${q(c.hours ?? null)}
       FROM organisation WHERE id = ${q(id)};`),
    ...(org.topics || []).map((t) =>
      `INSERT INTO org_topic (org_pk, topic_pk) SELECT o.pk, t.pk FROM organisation o, topic t
       WHERE o.id = ${q(id)} AND t.slug = ${q(t)};`),
    ...(org.audiences || []).map((a) =>
      `INSERT INTO org_audience (org_pk, audience_pk) SELECT o.pk, a.pk FROM organisation o, audience a
       WHERE o.id = ${q(id)} AND a.slug = ${q(a)};`),
    ...resources.flatMap((r, i) => [
      `INSERT INTO resource (id, slug, org_pk, position, name, type, url, summary, age_min, age_max, source)
       SELECT ${[r.id, r.slug].map(q).join(', ')}, pk, ${i}, ${[r.name, r.type || 'service', r.url ?? null,
      r.summary ?? ''].map(q).join(', ')}, ${r.age_min ?? 'NULL'}, ${r.age_max ?? 'NULL'}, 'oruk tests'
       FROM organisation WHERE id = ${q(id)};`,
      ...(r.topics || []).map((t) =>
        `INSERT INTO resource_topic (resource_pk, topic_pk) SELECT r.pk, t.pk FROM resource r, topic t
         WHERE r.id = ${q(r.id)} AND t.slug = ${q(t)};`),
      ...(r.audiences || []).map((a) =>
        `INSERT INTO resource_audience (resource_pk, audience_pk) SELECT r.pk, a.pk FROM resource r, audience a
         WHERE r.id = ${q(r.id)} AND a.slug = ${q(a)};`),
    ]),
    'COMMIT;',
  ].join('\n');
  sqlite(dbPath, sql);
  return { id, resources: resources.map((r) => r.id) };
}

// The hostile organisation every feed answer must survive: markup, quotes,
// javascript: URLs, an invalid e-mail address and U+2028 in its text fields.
export const HOSTILE = {
  slug: 'oruk-hostile-org',
  name: `${SCRIPT} "Quoted" O'Brien's ${LS}Trust`,
  summary: `Summary with <b>tags</b> & "double" and 'single' quotes${LS}and a line separator.`,
  description: `<img src=x onerror="alert(1)"> ${JS_URL} ${LS} \\ back\\slash`,
  website: JS_URL,
  coverage: `${SCRIPT} "Everywhere"${LS}`,
  last_reviewed: '2026-01-31',
  topics: ['cyberbullying'],
  audiences: ['parents'],
  contacts: [
    { kind: 'email', label: `Bad e-mail ${SCRIPT}`, value: 'not-an-email' },
    { kind: 'email', label: 'Markup e-mail', value: `"><script>alert(1)</script>@example.org` },
    { kind: 'email', label: 'No domain dot', value: 'someone@localhost' },
    { kind: 'website', label: `"Website" ${LS}`, value: JS_URL },
    { kind: 'report-form', label: 'Report', value: JS_URL },
    { kind: 'webchat', label: 'Chat', value: 'https://example.org/chat?name="x"<y>' },
    { kind: 'phone', label: `Helpline ${SCRIPT}`, value: `0800 000 000 ${SCRIPT}` },
    { kind: 'text', label: `Text us${LS}now`, value: '"85258"' },
    { kind: 'email', label: 'Good e-mail', value: 'help@example.org' },
  ],
  resources: [
    {
      slug: 'oruk-hostile-helpline',
      name: `${SCRIPT} Helpline "24/7" O'Reilly${LS}`,
      type: 'helpline',
      url: JS_URL,
      summary: `Line${LS}separator, "quotes", 'apostrophes' and ${SCRIPT}`,
      age_min: 5,
      age_max: 12,
      topics: ['cyberbullying', 'grooming'],
      audiences: ['children', 'parents'],
    },
    {
      slug: 'oruk-hostile-resource',
      name: `Quote's "test" resource ${JS_URL}`,
      type: 'guidance',
      url: ` ${JS_URL}`,
      summary: '',
      audiences: ['professionals'],
    },
  ],
};
