// Organisations in the console over HTTP: the list, the edit form filled
// from the record as stored, a save through the write API's path (the
// public page and the API show it, a revision names the curator), errors
// beside their fields with the input kept, and two curators editing the
// same record: the second sees the conflict page, chooses field by field,
// and loses nothing.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../http/lib/api.mjs';
import { startConsole, enrolAndSignIn, decode, formFields, setField } from './lib/console.mjs';


let server, tmp, db, web, alex, bea;
const jar = (who) => ({ Cookie: `signpost_console=${who.cookie}` });

before(async () => {
  ({ server, tmp, db, web } = await startConsole('signpost-console-orgs-'));
  alex = await enrolAndSignIn(server.base, db, 'alex@partnership.example', 'Alex Kaur', 'editor', 'copper harbour violin');
  bea = await enrolAndSignIn(server.base, db, 'bea@partnership.example', 'Bea Mensah', 'editor', 'tulip granite orchard');
});
after(async () => { await server?.stop(); await tmp?.remove(); });

async function editPage(who, slug) {
  const r = await web.get(`/console/organisations/${slug}`, jar(who));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  return r.text();
}

describe('organisations in the console', () => {
  it('the list finds organisations by name, and needs a session', async () => {
    assert.equal((await web.get('/console/organisations')).status, 303);
    const html = await (await web.get('/console/organisations?q=nsp', jar(alex))).text();
    assert.match(html, /href="\/console\/organisations\/nspcc">NSPCC<\/a>/);
    assert.doesNotMatch(html, /href="\/console\/organisations\/childnet"/);
    const all = await (await web.get('/console/organisations', jar(alex))).text();
    assert.ok((all.match(/href="\/console\/organisations\/[a-z0-9-]+"/g) || []).length > 10);
  });

  it('the form shows every field as stored', async () => {
    const html = await editPage(alex, 'nspcc');
    const f = new Map(formFields(html, '/console/organisations/nspcc').map(([n, v], i) => [n + (n === 'audience' || n === 'topic' ? i : ''), v]));
    assert.equal(f.get('name'), 'NSPCC');
    assert.equal(f.get('website'), 'https://www.nspcc.org.uk');
    assert.equal(f.get('contact_0_kind'), 'phone');
    assert.equal(f.get('contact_0_value'), '0808 800 5000');
    assert.equal(f.get('contact_2_value'), '', 'blank rows to add a contact');
    assert.match(f.get('search_terms'), /^talk to someone\nspeak to someone\n/);
    assert.match(html, /id="audience-parents" name="audience" type="checkbox" value="parents" checked/);
    assert.match(html, /<label for="contact_0_value">/, 'every field has a label');
  });

  it('a save goes live, through the write path, with a revision naming the curator', async () => {
    const html = await editPage(alex, 'nspcc');
    const fields = setField(formFields(html, '/console/organisations/nspcc'), 'summary',
      'A charity working to prevent child abuse & neglect <for everyone>.');
    const r = await web.post('/console/organisations/nspcc', fields, jar(alex));
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/console/organisations/nspcc?saved=1');
    const api = await (await fetch(`${server.base}/api/v1/organisations/nspcc`)).json();
    assert.equal(api.summary, 'A charity working to prevent child abuse & neglect <for everyone>.');
    assert.equal(api.contacts.length, 2, 'nothing else changed');
    assert.deepEqual(api.audiences.map((a) => a.slug ?? a).sort(), ['parents', 'professionals', 'young-people']);
    const page = await (await fetch(`${server.base}/organisations/nspcc`)).text();
    assert.ok(page.includes('child abuse &amp; neglect &lt;for everyone&gt;'), 'escaped on the public page');
    const [actor, action] = sql(db, "SELECT actor, action FROM revision WHERE entity = 'organisation' ORDER BY rowid DESC LIMIT 1")[0].split('|');
    assert.equal(actor, 'alex@partnership.example');
    assert.equal(action, 'update');
    assert.match(await (await web.get('/console/organisations/nspcc?saved=1', jar(alex))).text(), /Saved/);
  });

  it('errors are listed and shown beside their fields, with the input kept', async () => {
    const html = await editPage(alex, 'childline');
    const fields = formFields(html, '/console/organisations/childline');
    setField(fields, 'name', '');
    setField(fields, 'contact_0_value', '0800 CALL NOW');
    setField(fields, 'website', 'javascript:alert(1)');
    const before = sql(db, "SELECT count(*) FROM revision")[0];
    const r = await web.post('/console/organisations/childline', fields, jar(alex));
    assert.equal(r.status, 400);
    const out = await r.text();
    assert.match(out, /<title>Error: /);
    assert.match(out, /There is a problem/);
    for (const id of ['name', 'website', 'contact_0_value']) {
      assert.match(out, new RegExp(`<a href="#${id}">`), `summary links to ${id}`);
      assert.match(out, new RegExp(`id="${id}-error"`), `message beside ${id}`);
    }
    assert.match(out, /value="0800 CALL NOW"/, 'what was typed is kept');
    assert.match(out, /value="javascript:alert\(1\)"/);
    assert.equal(sql(db, "SELECT count(*) FROM revision")[0], before, 'nothing saved');
    const api = await (await fetch(`${server.base}/api/v1/organisations/childline`)).json();
    assert.equal(api.name, 'Childline');
  });

  it('a form without its token, or from another site, changes nothing', async () => {
    const html = await editPage(alex, 'childnet');
    const fields = setField(formFields(html, '/console/organisations/childnet'), 'name', 'Hijacked');
    const noToken = fields.filter(([n]) => n !== 'csrf');
    assert.equal((await web.post('/console/organisations/childnet', noToken, jar(alex))).status, 403);
    assert.equal((await web.post('/console/organisations/childnet', fields, { ...jar(alex), 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    assert.equal((await web.post('/console/organisations/childnet', fields)).status, 303, 'no session: sign in');
    const bToken = setField([...fields], 'csrf', /name="csrf" value="([^"]+)"/.exec(await editPage(bea, 'childnet'))[1]);
    assert.equal((await web.post('/console/organisations/childnet', bToken, jar(alex))).status, 403, "another session's token");
    const api = await (await fetch(`${server.base}/api/v1/organisations/childnet`)).json();
    assert.notEqual(api.name, 'Hijacked');
  });

  it('two curators edit at once: the second chooses field by field and loses nothing', async () => {
    const action = '/console/organisations/internet-watch-foundation';
    const slug = 'internet-watch-foundation';
    const a = formFields(await editPage(alex, slug), action);
    const b = formFields(await editPage(bea, slug), action);
    setField(a, 'summary', 'Summary by Alex.');
    assert.equal((await web.post(action, a, jar(alex))).status, 303);
    setField(b, 'summary', 'Summary by Bea.');
    setField(b, 'coverage', 'UK and beyond');
    const conflict = await web.post(action, b, jar(bea));
    assert.equal(conflict.status, 409);
    const html = await conflict.text();
    assert.match(html, /Someone else changed/);
    assert.match(html, /alex@partnership\.example saved a change/);
    assert.match(html, /<pre>Summary by Bea\.<\/pre>/);
    assert.match(html, /<pre>Summary by Alex\.<\/pre>/);
    assert.match(html, /name="conflict" value="summary"/);
    assert.doesNotMatch(html, /name="conflict" value="coverage"/, 'Alex left coverage alone: only Bea changed it');
    assert.match(html, /value="UK and beyond"/, "Bea's typing is still in the form");
    let api = await (await fetch(`${server.base}/api/v1/organisations/${slug}`)).json();
    assert.equal(api.summary, 'Summary by Alex.', 'nothing overwritten');

    // Saving without choosing asks again.
    const resend = formFields(html, action);
    const again = await web.post(action, resend, jar(bea));
    assert.equal(again.status, 409);
    assert.match(await again.text(), /<a href="#choose_summary">Choose which Summary to keep/);

    // Choosing theirs for the summary keeps Bea's other change.
    const chosen = [...resend, ['choose_summary', 'theirs']];
    const saved = await web.post(action, chosen, jar(bea));
    assert.equal(saved.status, 303);
    api = await (await fetch(`${server.base}/api/v1/organisations/${slug}`)).json();
    assert.equal(api.summary, 'Summary by Alex.');
    assert.equal(api.coverage, 'UK and beyond');
    const actors = sql(db, `SELECT actor FROM revision WHERE entity = 'organisation' AND entity_id = '${api.id}' ORDER BY n`);
    assert.deepEqual(actors.slice(-2), ['alex@partnership.example', 'bea@partnership.example']);
  });

  it('an unknown organisation is a helpful 404', async () => {
    const r = await web.get('/console/organisations/no-such-place', jar(alex));
    assert.equal(r.status, 404);
    assert.match(await r.text(), /There is no such organisation/);
  });
});

describe('reports in the console', () => {
  let id;
  it('a report from the public is listed, linked to its record', async () => {
    const sent = await fetch(`${server.base}/organisations/childnet/report`, {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams({ what: 'website', details: 'The link <b>goes</b> nowhere' }).toString(),
    });
    assert.ok(sent.status < 400, `report sent: ${sent.status}`);
    id = Number(sql(db, 'SELECT max(pk) FROM report')[0]);
    const list = await (await web.get('/console/reports', jar(alex))).text();
    assert.match(list, new RegExp(`href="/console/reports/${id}">Report ${id}</a>`));
    assert.match(list, /href="\/console\/organisations\/childnet">childnet<\/a>/);
    const page = await (await web.get(`/console/reports/${id}`, jar(alex))).text();
    assert.ok(page.includes('The link &lt;b&gt;goes&lt;/b&gt; nowhere'), 'the visitor\'s words, escaped');
    assert.match(page, /The website is wrong/);
    assert.match(page, /href="\/console\/organisations\/childnet">Edit /);
  });

  it('resolving needs a note, then closes it with who and the note', async () => {
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await web.get(`/console/reports/${id}`, jar(alex))).text())[1];
    const empty = await web.post(`/console/reports/${id}`, { csrf, note: '   ' }, jar(alex));
    assert.equal(empty.status, 400);
    const html = await empty.text();
    assert.match(html, /<a href="#note">Enter what you found and what you did<\/a>/);
    assert.match(html, /id="note-error"/);
    assert.equal((await web.post(`/console/reports/${id}`, { note: 'x' }, jar(alex))).status, 403, 'no token');
    const ok = await web.post(`/console/reports/${id}`, { csrf, note: 'Checked childnet.com: the link works now.' }, jar(alex));
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), `/console/reports?resolved=${id}`);
    const [by, note] = sql(db, `SELECT closed_by, closed_note FROM report WHERE pk = ${id}`)[0].split('|');
    assert.equal(by, 'alex@partnership.example');
    assert.equal(note, 'Checked childnet.com: the link works now.');
    const again = await web.post(`/console/reports/${id}`, { csrf, note: 'again' }, jar(alex));
    assert.equal(again.status, 409);
    const open = await (await web.get('/console/reports', jar(alex))).text();
    assert.doesNotMatch(open, new RegExp(`>Report ${id}<`), 'no longer open');
    const all = await (await web.get('/console/reports?status=all', jar(alex))).text();
    assert.match(all, /Resolved by alex@partnership\.example/);
    assert.equal((await web.get('/console/reports/999999', jar(alex))).status, 404);
    assert.equal((await web.get('/console/reports/abc', jar(alex))).status, 404);
  });
});

describe('history, restore, archive and checks in the console', () => {
  const slug = 'anti-bullying-alliance';
  const action = `/console/organisations/${slug}`;
  const apiOf = async () => (await fetch(`${server.base}/api/v1/organisations/${slug}`)).json();
  const stateForm = (html, what) => {
    const i = html.indexOf(`name="action" value="${what}"`);
    assert.ok(i > 0, `a ${what} button`);
    const form = html.slice(html.lastIndexOf('<form', i), html.indexOf('</form>', i));
    return [...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], decode(m[2])]);
  };

  it('a record nobody has changed says so in its history', async () => {
    const html = await (await web.get('/console/organisations/childline/history', jar(alex))).text();
    assert.match(html, /No change has been made since it came into the directory/);
  });

  it('history shows each change field by field, and any version can be restored', async () => {
    const original = (await apiOf()).summary;
    const fields = setField(formFields(await editPage(alex, slug), action), 'summary', 'A wrong summary.');
    assert.equal((await web.post(action, fields, jar(alex))).status, 303);
    assert.equal((await apiOf()).summary, 'A wrong summary.');
    const r = await web.get(`${action}/history`, jar(bea));
    assert.equal(r.status, 200);
    const html = await r.text();
    assert.match(html, /Edited by alex@partnership\.example/);
    assert.ok(html.includes(`<th scope="row">Summary</th><td><pre>${original.replace(/&/g, '&amp;')}</pre></td><td><pre>A wrong summary.</pre></td>`), 'before and after');
    assert.doesNotMatch(html, /<th scope="row">Name<\/th>/, 'only what changed');
    // Go back to the version before the edit (the seed's).
    const n = [...html.matchAll(/action="\/console\/organisations\/[a-z-]+\/history\/(\d+)"/g)].map((m) => Number(m[1]));
    assert.ok(n.length >= 1);
    const target = Math.max(...n);
    const form = html.slice(html.indexOf(`/history/${target}"`));
    const csrf = /name="csrf" value="([^"]+)"/.exec(form)[1];
    const etag = decode(/name="etag" value="([^"]+)"/.exec(form)[1]);
    const restored = await web.post(`${action}/history/${target}`, { csrf, etag }, jar(bea));
    assert.equal(restored.status, 303);
    assert.equal((await apiOf()).summary, original);
    const last = sql(db, "SELECT actor, action FROM revision ORDER BY rowid DESC LIMIT 1")[0];
    assert.equal(last, 'bea@partnership.example|restore');
    // The same form again is stale now: nothing is restored over the new version.
    assert.equal((await web.post(`${action}/history/${target}`, { csrf, etag }, jar(bea))).status, 409);
  });

  it('mark as checked, archive and bring back', async () => {
    let html = await editPage(alex, slug);
    assert.match(html, /Last checked: never, so a check is due now/);
    assert.equal((await web.post(`${action}/state`, stateForm(html, 'review'), jar(alex))).status, 303);
    html = await editPage(alex, slug);
    const today = new Date().toISOString().slice(0, 10);
    assert.match(html, new RegExp(`Last checked: ${today}; next check due by ${Number(today.slice(0, 4)) + 1}-`));
    assert.equal((await web.post(`${action}/state`, stateForm(html, 'archive'), jar(alex))).status, 303);
    assert.equal((await fetch(`${server.base}/api/v1/organisations/${slug}`)).status, 404, 'gone from the public');
    html = await editPage(alex, slug);
    assert.match(html, /The public cannot see this organisation/);
    assert.doesNotMatch(html, /<form action="\/console\/organisations\/anti-bullying-alliance" method="post"/, 'no edit form while archived');
    const listed = await (await web.get('/console/organisations?q=bullying&archived=1', jar(alex))).text();
    assert.match(listed, /Archived/);
    assert.equal((await web.post(`${action}/state`, stateForm(html, 'unarchive'), jar(alex))).status, 303);
    assert.equal((await fetch(`${server.base}/api/v1/organisations/${slug}`)).status, 200, 'back');
    assert.equal((await web.post(`${action}/state`, [...stateForm(html, 'unarchive')], jar(alex))).status, 409, 'a stale form');
    const bad = stateForm(html, 'unarchive').map(([k, v]) => [k, k === 'action' ? 'delete' : v]);
    assert.equal((await web.post(`${action}/state`, bad, jar(alex))).status, 400);
  });
});

describe('adding an organisation in the console', () => {
  it('an empty form; errors beside fields; then the new organisation is live', async () => {
    const page = await (await web.get('/console/add-organisation', jar(alex))).text();
    assert.match(page, /<h1>Add an organisation<\/h1>/);
    const fields = formFields(page, '/console/add-organisation');
    const bad = await web.post('/console/add-organisation', fields, jar(alex));
    assert.equal(bad.status, 400);
    const html = await bad.text();
    for (const id of ['name', 'slug', 'source']) assert.match(html, new RegExp(`<a href="#${id}">`), id);
    setField(fields, 'name', 'Derby Youth Line');
    setField(fields, 'slug', 'derby-youth-line');
    setField(fields, 'source', 'A test record, not real.');
    setField(fields, 'contact_0_kind', 'website');
    setField(fields, 'contact_0_label', 'Its website');
    setField(fields, 'contact_0_value', 'https://youth.example');
    const ok = await web.post('/console/add-organisation', [...fields, ['audience', 'young-people']], jar(alex));
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/console/organisations/derby-youth-line?saved=1');
    const api = await (await fetch(`${server.base}/api/v1/organisations/derby-youth-line`)).json();
    assert.equal(api.name, 'Derby Youth Line');
    assert.equal(sql(db, "SELECT actor || '|' || action FROM revision ORDER BY rowid DESC LIMIT 1")[0], 'alex@partnership.example|create');
    const again = await web.post('/console/add-organisation', [...fields, ['audience', 'young-people']], jar(alex));
    assert.equal(again.status, 400);
    assert.match(await again.text(), /already used by another organisation/);
  });
});

