// Resources and the taxonomy in the console: a resource edited and added
// from its organisation's page, errors beside their fields; audiences and
// topics for admins only, a topic's guidance previewed as Markdown before
// it is saved, its search terms by line, a new audience, and a stale form
// shown beside the record as it is now.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../http/lib/api.mjs';
import { startConsole, enrolAndSignIn, formFields as fields, setField as set } from './lib/console.mjs';

let server, tmp, db, web, admin, editor;
const jar = (who) => ({ Cookie: `signpost_console=${who.cookie}` });

before(async () => {
  ({ server, tmp, db, web } = await startConsole('signpost-console-records-'));
  admin = await enrolAndSignIn(server.base, db, 'ada@partnership.example', 'Ada Osei', 'admin', 'marble lantern thistle');
  editor = await enrolAndSignIn(server.base, db, 'ed@partnership.example', 'Ed Brooks', 'editor', 'quiet ferry compass');
});
after(async () => { await server?.stop(); await tmp?.remove(); });

describe('resources in the console', () => {
  it("an organisation's page lists its resources, and one is edited", async () => {
    const org = await (await web.get('/console/organisations/nspcc', jar(editor))).text();
    assert.match(org, /href="\/console\/resources\/nspcc-online-safety-advice">NSPCC online safety advice<\/a>/);
    const page = await (await web.get('/console/resources/nspcc-online-safety-advice', jar(editor))).text();
    assert.match(page, /<h1>Edit NSPCC online safety advice<\/h1>/);
    let f = fields(page, '/console/resources/nspcc-online-safety-advice');
    f = set(f, 'summary', 'Advice for parents on games, sharing images and parental controls.');
    const r = await web.post('/console/resources/nspcc-online-safety-advice', f, jar(editor));
    assert.equal(r.status, 303);
    const api = await (await fetch(`${server.base}/api/v1/resources/nspcc-online-safety-advice`)).json();
    assert.equal(api.summary, 'Advice for parents on games, sharing images and parental controls.');
    assert.equal(sql(db, "SELECT actor || '|' || entity || '|' || action FROM revision ORDER BY rowid DESC LIMIT 1")[0],
      'ed@partnership.example|resource|update');
  });

  it('errors are beside their fields, with the input kept', async () => {
    const page = await (await web.get('/console/resources/nspcc-online-safety-advice', jar(editor))).text();
    let f = fields(page, '/console/resources/nspcc-online-safety-advice');
    f = set(set(set(f, 'url', 'javascript:alert(1)'), 'age_min', 'eleven'), 'name', '');
    const r = await web.post('/console/resources/nspcc-online-safety-advice', f, jar(editor));
    assert.equal(r.status, 400);
    const html = await r.text();
    for (const id of ['url', 'age_min', 'name']) {
      assert.match(html, new RegExp(`<a href="#${id}">`), id);
      assert.match(html, new RegExp(`id="${id}-error"`), id);
    }
    assert.match(html, /value="eleven"/);
  });

  it('a resource is added to an organisation', async () => {
    const page = await (await web.get('/console/organisations/childnet/resources', jar(editor))).text();
    assert.match(page, /<h1>Add a resource<\/h1>/);
    let f = fields(page, '/console/organisations/childnet/resources');
    f = set(set(set(set(f, 'name', 'Test pack'), 'slug', 'childnet-test-pack'), 'type', 'education-pack'), 'source', 'A test, not real.');
    const r = await web.post('/console/organisations/childnet/resources', [...f, ['audiences', 'professionals']], jar(editor));
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/console/resources/childnet-test-pack?saved=1');
    const api = await (await fetch(`${server.base}/api/v1/resources/childnet-test-pack`)).json();
    assert.equal(api.organisation, 'childnet');
  });
});

describe('the taxonomy in the console', () => {
  it('is for admins only', async () => {
    assert.equal((await web.get('/console/taxonomy', jar(editor))).status, 403);
    assert.equal((await web.get('/console/topics/cyberbullying', jar(editor))).status, 403);
    const html = await (await web.get('/console/taxonomy', jar(admin))).text();
    assert.match(html, /href="\/console\/topics\/cyberbullying">/);
    assert.match(html, /href="\/console\/audiences\/parents">/);
  });

  it("a topic's guidance is previewed, not saved, then saved", async () => {
    const action = '/console/topics/cyberbullying';
    const page = await (await web.get(action, jar(admin))).text();
    let f = fields(page, action);
    f = set(f, 'guidance_markdown', '## If it is happening now\n\nTalk to someone you **trust**.\n\n<script>alert(1)</script>');
    f = set(f, 'search_terms', 'mean messages\n  people being horrible online  \n\n');
    const before = await (await fetch(`${server.base}/api/v1/topics/cyberbullying`)).json();
    const preview = await web.post(action, [...f, ['preview', '1']], jar(admin));
    assert.equal(preview.status, 200);
    const ph = await preview.text();
    assert.match(ph, /<h2>If it is happening now<\/h2>/);
    assert.match(ph, /<strong>trust<\/strong>/);
    assert.doesNotMatch(ph, /<script>alert/, 'raw HTML is not passed through');
    assert.deepEqual(await (await fetch(`${server.base}/api/v1/topics/cyberbullying`)).json(), before, 'a preview saves nothing');
    const saved = await web.post(action, f, jar(admin));
    assert.equal(saved.status, 303);
    const after = await (await fetch(`${server.base}/api/v1/topics/cyberbullying`)).json();
    assert.match(after.guidance_markdown, /^## If it is happening now/);
    assert.deepEqual(after.search_terms, ['mean messages', 'people being horrible online']);
    const pub = await (await fetch(`${server.base}/topics/cyberbullying`)).text();
    assert.match(pub, /If it is happening now/);
  });

  it('a new audience, and a stale form shown beside the record as it is now', async () => {
    const page = await (await web.get('/console/add-audience', jar(admin))).text();
    let f = fields(page, '/console/audiences');
    f = set(set(f, 'label', 'Foster carers'), 'slug', 'foster-carers');
    const r = await web.post('/console/audiences', f, jar(admin));
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/console/audiences/foster-carers?saved=1');
    const a = fields(await (await web.get('/console/audiences/foster-carers', jar(admin))).text(), '/console/audiences/foster-carers');
    assert.equal((await web.post('/console/audiences/foster-carers', set(a, 'description', 'First.'), jar(admin))).status, 303);
    const stale = await web.post('/console/audiences/foster-carers', set(a, 'description', 'Second.'), jar(admin));
    assert.equal(stale.status, 409);
    const html = await stale.text();
    assert.match(html, /The record as it is now/);
    assert.match(html, /<pre>First\.<\/pre>/);
    assert.match(html, /Second\./, 'what was typed is kept');
    const api = await (await fetch(`${server.base}/api/v1/audiences/foster-carers`)).json();
    assert.equal(api.description, 'First.');
  });
});
