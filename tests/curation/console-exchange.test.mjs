// Import and export in the console: the three downloads; an upload checked
// as a dry run (every error listed, nothing changed; or what it would
// change), then applied whole by the same code as `signpost import`, with
// revisions naming the admin; the checked file kept for its session only
// and used once; CSV too; CSRF and roles.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../http/lib/api.mjs';
import { startConsole, enrolAndSignIn, csrfOf } from './lib/console.mjs';

let server, tmp, db, web, admin, admin2, editor;
const jar = (who) => ({ Cookie: `signpost_console=${who.cookie}` });

before(async () => {
  ({ server, tmp, db, web } = await startConsole('signpost-console-exchange-'));
  admin = await enrolAndSignIn(server.base, db, 'ada@partnership.example', 'Ada Osei', 'admin', 'marble lantern thistle');
  admin2 = await enrolAndSignIn(server.base, db, 'bo@partnership.example', 'Bo Li', 'admin', 'copper violin harbour');
  editor = await enrolAndSignIn(server.base, db, 'ed@partnership.example', 'Ed Brooks', 'editor', 'quiet ferry compass');
});
after(async () => { await server?.stop(); await tmp?.remove(); });

const csrf = async (who) => csrfOf(await (await web.get('/console/exchange', jar(who))).text());

async function upload(who, name, text, { token, type = 'application/json', headers = {} } = {}) {
  const form = new FormData();
  form.append('csrf', token ?? await csrf(who));
  form.append('file', new Blob([text], { type }), name);
  return fetch(`${server.base}/console/exchange/check`, {
    method: 'POST', body: form, redirect: 'manual',
    headers: { 'Sec-Fetch-Site': 'same-origin', ...jar(who), ...headers },
  });
}

describe('import and export in the console', () => {
  let exported;

  it('the directory downloads as JSON, CSV and Open Referral', async () => {
    assert.equal((await web.get('/console/exchange/directory.json')).status, 303, 'needs a session');
    const json = await web.get('/console/exchange/directory.json', jar(editor));
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-disposition'), /^attachment; filename="signpost-directory-\d{4}-\d\d-\d\d\.json"$/);
    assert.equal(json.headers.get('cache-control'), 'no-store');
    exported = await json.json();
    assert.ok(exported.organisations.length > 10);
    const csv = await web.get('/console/exchange/directory.csv', jar(editor));
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match((await csv.text()).split('\n')[0], /slug/);
    const oruk = await (await web.get('/console/exchange/openreferral.json', jar(editor))).json();
    assert.ok(Array.isArray(oruk.services ?? oruk.organizations ?? oruk.contents ?? Object.values(oruk)[0]));
    assert.equal((await web.get('/console/exchange/passwords.txt', jar(editor))).status, 404);
  });

  it('editors download but do not import', async () => {
    const page = await (await web.get('/console/exchange', jar(editor))).text();
    assert.doesNotMatch(page, /Check the file/);
    const r = await upload(editor, 'd.json', JSON.stringify(exported), { token: csrfOf(page) });
    assert.equal(r.status, 403);
  });

  it('a file with errors lists every one and changes nothing', async () => {
    const doc = structuredClone(exported);
    doc.organisations[0].name = '';
    doc.organisations[1].contacts = [{ kind: 'phone', label: 'Helpline', value: 'ring us', hours: null }];
    const before = sql(db, 'SELECT count(*) FROM revision')[0];
    const r = await upload(admin, 'broken.json', JSON.stringify(doc));
    assert.equal(r.status, 400);
    const html = await r.text();
    assert.match(html, /broken\.json has 2 problems/);
    assert.match(html, /<code>\/organisations\/0\/name: must not be empty<\/code>/);
    assert.match(html, /<code>\/organisations\/1\/contacts\/0\/value: must be a UK phone number/);
    assert.match(html, /Nothing was imported/);
    assert.equal(sql(db, 'SELECT count(*) FROM revision')[0], before);
    const junk = await upload(admin, 'junk.json', '{"not": "a directory"');
    assert.equal(junk.status, 400);
    assert.match(await junk.text(), /is not valid JSON/);
  });

  it('a good file is checked, then applied whole, with revisions naming the admin', async () => {
    const doc = structuredClone(exported);
    const target = doc.organisations.find((o) => o.slug === 'childnet');
    target.summary = 'Childnet: summary from the import.';
    const r = await upload(admin, 'directory.json', JSON.stringify(doc));
    assert.equal(r.status, 200);
    const html = await r.text();
    assert.match(html, /would add 0, change 1 and leave \d+ organisations as they are/);
    const api = async () => (await fetch(`${server.base}/api/v1/organisations/childnet`)).json();
    assert.notEqual((await api()).summary, target.summary, 'nothing changed by the check');
    const id = /name="import" value="([A-Za-z0-9_-]{43})"/.exec(html)[1];
    const token = await csrf(admin);
    // Another admin's session cannot apply it, and it stays for its owner.
    assert.equal((await web.post('/console/exchange/apply', { csrf: await csrf(admin2), import: id }, jar(admin2))).status, 409);
    assert.equal((await web.post('/console/exchange/apply', { import: id }, jar(admin))).status, 403, 'no token');
    const done = await web.post('/console/exchange/apply', { csrf: token, import: id }, jar(admin));
    assert.equal(done.status, 200);
    assert.match(await done.text(), /is imported/);
    assert.equal((await api()).summary, target.summary);
    assert.equal(sql(db, "SELECT actor || '|' || action FROM revision ORDER BY rowid DESC LIMIT 1")[0],
      'ada@partnership.example|import');
    assert.equal((await web.post('/console/exchange/apply', { csrf: token, import: id }, jar(admin))).status, 409, 'used once');
  });

  it('a CSV from a spreadsheet is checked too', async () => {
    const csv = await (await web.get('/console/exchange/directory.csv', jar(admin))).text();
    const r = await upload(admin, 'directory.csv', csv, { type: 'text/csv' });
    assert.equal(r.status, 200);
    assert.match(await r.text(), /would add 0, change 0 and leave \d+ organisations/);
  });

  it('a broken upload is refused clearly', async () => {
    const none = await upload(admin, '', '');
    assert.equal(none.status, 400);
    assert.match(await none.text(), /Choose a JSON or CSV file to import/);
    assert.equal((await upload(admin, 'd.json', '{}', { token: 'B'.repeat(43) })).status, 403);
    assert.equal((await upload(admin, 'd.json', '{}', { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status, 403);
    const bad = await fetch(`${server.base}/console/exchange/check`, {
      method: 'POST', redirect: 'manual', body: '--x\r\nnonsense',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x', 'Sec-Fetch-Site': 'same-origin', ...jar(admin) },
    });
    assert.equal(bad.status, 403);
  });
});
