// GET /api/v1, /api/v1/audiences, /api/v1/topics, /api/v1/topics/{slug},
// /api/v1/help, /api/v1/openapi.yaml and /healthz.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { startServer } from './lib/server.mjs';
import { get } from './lib/http.mjs';
import { SPEC_TEXT } from './lib/openapi.mjs';
import { listAll, slugsOf, assertProblem, sql } from './lib/api.mjs';

let srv, base, all, audiences, topics;

before(async () => {
  srv = await startServer();
  base = srv.base;
  all = await listAll(base);
  audiences = (await get(base + '/api/v1/audiences')).json.items;
  topics = (await get(base + '/api/v1/topics')).json.items;
});
after(() => srv?.stop());

const total = async (params) => (await listAll(base, params)).total;

describe('GET /api/v1', () => {
  it('names the API and links to its collections, all of which answer', async () => {
    const r = await get(base + '/api/v1');
    assert.equal(r.status, 200);
    assert.equal(r.json.name, 'Signpost');
    assert.equal(r.json.version, '1');
    assert.deepEqual(r.json.links, {
      organisations: '/api/v1/organisations', audiences: '/api/v1/audiences', topics: '/api/v1/topics',
      help: '/api/v1/help', openapi: '/api/v1/openapi.yaml',
    });
    for (const href of Object.values(r.json.links)) assert.equal((await get(base + href)).status, 200, href);
  });
});

describe('audiences', () => {
  it('lists the audiences in display order, counts matching the filtered list', async () => {
    const slugs = slugsOf(audiences);
    for (const s of ['children', 'young-people', 'parents', 'professionals']) assert.ok(slugs.includes(s), s);
    assert.equal(new Set(slugs).size, slugs.length);
    const dbOrder = sql(srv.dbPath, 'SELECT slug FROM audience ORDER BY position, pk');
    assert.deepEqual(slugs, dbOrder, 'display order');
    for (const a of audiences) {
      assert.ok(a.label.length > 0);
      assert.equal(a.count, await total({ audience: a.slug }), `count of ${a.slug}`);
      assert.equal(a.count, all.items.filter((o) => o.audiences.includes(a.slug)).length, a.slug);
    }
  });
});

describe('topics', () => {
  it('lists the topics in display order with parents and counts matching the filtered list', async () => {
    const slugs = slugsOf(topics);
    for (const s of ['online-abuse', 'grooming', 'child-sexual-abuse-images', 'cyberbullying']) assert.ok(slugs.includes(s), s);
    assert.deepEqual(slugs, sql(srv.dbPath, 'SELECT slug FROM topic ORDER BY position, pk'), 'display order');
    for (const t of topics) {
      if (t.parent !== null) assert.ok(slugs.includes(t.parent), `${t.slug}'s parent ${t.parent} exists`);
      assert.equal(t.count, await total({ topic: t.slug }), `count of ${t.slug}`);
    }
    const parentCount = topics.find((t) => t.slug === 'online-abuse').count;
    for (const child of ['grooming', 'child-sexual-abuse-images']) {
      const c = topics.find((t) => t.slug === child);
      assert.equal(c.parent, 'online-abuse');
      assert.ok(parentCount >= c.count, `online-abuse counts at least as many as ${child}`);
    }
  });

  it('gives each topic its children, count, guidance and organisations_url', async () => {
    const guidance = Object.fromEntries(sql(srv.dbPath,
      "SELECT slug || char(31) || hex(guidance_md) FROM topic").map((l) => {
      const [slug, hex] = l.split('\x1f');
      return [slug, Buffer.from(hex, 'hex').toString('utf8')];
    }));
    for (const t of topics) {
      const r = await get(`${base}/api/v1/topics/${t.slug}`);
      assert.equal(r.status, 200, t.slug);
      const d = r.json;
      assert.equal(d.slug, t.slug);
      assert.equal(d.label, t.label);
      assert.equal(d.description, t.description);
      assert.equal(d.parent, t.parent);
      assert.equal(d.count, t.count);
      assert.deepEqual(d.children, topics.filter((x) => x.parent === t.slug).map((x) => x.slug), `${t.slug} children`);
      assert.equal(d.organisations_url, `/api/v1/organisations?topic=${t.slug}`);
      const listed = await get(base + d.organisations_url);
      assert.equal(listed.json.total, d.count, `${d.organisations_url} total`);
      assert.equal(d.guidance_markdown, guidance[t.slug], `${t.slug} guidance as stored`);
      assert.doesNotMatch(d.guidance_html, /<script/i, t.slug);
      if (d.guidance_markdown.trim() !== '') assert.match(d.guidance_html, /<p>/, t.slug);
    }
  });

  it('online-abuse has guidance from the source text, rendered as HTML', async () => {
    const d = (await get(`${base}/api/v1/topics/online-abuse`)).json;
    assert.ok(d.guidance_markdown.trim().length > 100, 'non-empty guidance');
    assert.match(d.guidance_html, /<p>/);
    assert.doesNotMatch(d.guidance_html, /<script/i);
    for (const c of ['grooming', 'child-sexual-abuse-images']) assert.ok(d.children.includes(c), c);
  });

  it('answers an unknown topic with a 404 problem', async () => {
    const p = assertProblem(await get(`${base}/api/v1/topics/nope`), 404, 'topic nope');
    assert.equal(p.type, 'about:blank');
  });
});

describe('guidance HTML is safe whatever the Markdown holds', () => {
  let srv2;
  before(async () => {
    const first = await startServer({ keepDb: true });
    await first.stop();
    const evil = [
      'Intro paragraph.', '', '<script>alert(1)</script>', '',
      '<img src=x onerror="alert(2)">', '', '[click](javascript:alert(3))', '',
      'Inline <b onclick="alert(4)">bold</b> and <SCRIPT>alert(5)</SCRIPT>.', '',
      '<iframe src="https://example.com"></iframe>',
    ].join('\n');
    sql(first.dbPath, `UPDATE topic SET guidance_md = '${evil.replace(/'/g, "''")}' WHERE slug = 'cyberbullying'`);
    srv2 = await startServer({ dbPath: first.dbPath });
  });
  after(async () => {
    await srv2?.stop();
    const { rm } = await import('node:fs/promises');
    if (srv2) await rm(srv2.dir, { recursive: true, force: true });
  });

  it('drops raw HTML and javascript: links', async () => {
    const d = (await get(`${srv2.base}/api/v1/topics/cyberbullying`)).json;
    assert.match(d.guidance_markdown, /<script>alert\(1\)<\/script>/, 'the Markdown is returned as stored');
    assert.match(d.guidance_html, /<p>Intro paragraph\.<\/p>/);
    assert.doesNotMatch(d.guidance_html, /<script/i);
    assert.doesNotMatch(d.guidance_html, /<img|<iframe|<b /i);
    assert.doesNotMatch(d.guidance_html, /onerror|onclick/i);
    assert.doesNotMatch(d.guidance_html, /javascript:/i);
  });
});

describe('help', () => {
  it('puts 999 first and includes Childline on 0800 1111', async () => {
    const r = await get(base + '/api/v1/help');
    assert.equal(r.status, 200);
    const items = r.json.items;
    assert.ok(items.length >= 2);
    assert.equal(items[0].value, '999');
    assert.equal(items[0].href, 'tel:999');
    assert.equal(items[0].kind, 'phone');
    const childline = items.find((h) => h.value === '0800 1111');
    assert.ok(childline, JSON.stringify(items));
    assert.match(childline.label, /Childline/);
    assert.equal(childline.href, 'tel:08001111');
    const orgSlugs = slugsOf(all.items);
    for (const h of items) {
      if (h.kind === 'phone') assert.equal(h.href, 'tel:' + h.value.replace(/(?!^\+)[^0-9]/g, ''), h.label);
      if (h.kind === 'email') assert.equal(h.href, `mailto:${h.value}`, h.label);
      if (h.kind === 'web') assert.equal(h.href, h.value, h.label);
      if (h.kind === 'text') assert.match(h.href, /^sms:\+?[0-9]+$/, h.label);
      if (h.organisation !== null) assert.ok(orgSlugs.includes(h.organisation), `${h.label}: ${h.organisation}`);
    }
  });

  it('follows the help_channel display order', async () => {
    const items = (await get(base + '/api/v1/help')).json.items;
    assert.deepEqual(items.map((h) => h.value), sql(srv.dbPath, 'SELECT value FROM help_channel ORDER BY position, pk'));
  });
});

describe('the OpenAPI document', () => {
  it('is served as application/yaml, parses, and equals api-spec/openapi.yaml', async () => {
    const r = await get(base + '/api/v1/openapi.yaml');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/yaml; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'public, max-age=3600');
    const doc = YAML.parse(r.text);
    assert.match(String(doc.openapi), /^3\.1\./);
    assert.ok(doc.paths['/api/v1/organisations']);
    assert.equal(r.text, SPEC_TEXT, 'byte-for-byte the file in api-spec/');
  });
});

describe('/healthz', () => {
  it('answers 200 ok', async () => {
    const r = await get(base + '/healthz');
    assert.equal(r.status, 200);
    assert.match(r.text, /^ok\r?\n?$/);
  });
});

