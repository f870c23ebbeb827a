// The public report form refuses a POST another website makes a browser
// send (Sec-Fetch-Site cross-site or same-site; without it, an Origin that
// is neither the public address nor the Host) with a 403 page showing the
// form again, which works when sent from there: no script, no cookie.
// Requests that say nothing (curl, old browsers) are still taken.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../http/lib/api.mjs';
import { startServer, tempDb } from '../curation/lib/curation.mjs';
import { requestFrom } from '../curation/lib/loopback.mjs';

const FORM = '/organisations/childline/report';

describe('the report form and where it was sent from', () => {
  let db, server;
  let next = 30; // each case from its own address: five reports an address

  before(async () => {
    db = await tempDb('signpost-report-origin-');
    server = await startServer({ dbPath: db.dbPath });
  });
  after(async () => {
    await server?.stop();
    await db?.remove();
  });

  const send = (details, headers) => requestFrom(server.base, `127.0.2.${next++}`, {
    method: 'POST', path: FORM,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'what=phone&details=' + encodeURIComponent(details),
  });
  const stored = (details) => Number(sql(db.dbPath,
    `SELECT count(*) FROM report WHERE details = '${details.replace(/'/g, "''")}'`)[0]);

  it('refuses a cross-site or same-site POST with a 403 page that shows the form again', async () => {
    const cases = [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'https://other.signpost.example' },
      { 'sec-fetch-site': 'cross-site', origin: 'null' },
      { origin: 'https://evil.example' },            // a browser without Sec-Fetch-Site
      { origin: server.base.replace('127.0.0.1', 'localhost') },
    ];
    for (const [i, headers] of cases.entries()) {
      const details = `sent from elsewhere ${i}`;
      const r = await send(details, headers);
      const what = JSON.stringify(headers);
      assert.equal(r.status, 403, `${what}: ${r.text.slice(0, 300)}`);
      assert.match(r.headers['content-type'], /^text\/html/, what);
      assert.equal(r.headers['cache-control'], 'no-store', what);
      assert.match(r.text, /This report was sent from a page on another website, so it has not been sent to us/, what);
      // The form again, with what was typed, to send from here.
      assert.match(r.text, new RegExp(`<form class="report-form" action="${FORM}" method="post">`), what);
      assert.ok(r.text.includes(details), `${what}: the details are kept`);
      assert.match(r.text, /id="what-phone" name="what" value="phone" checked/, what);
      assert.equal(stored(details), 0, `${what}: nothing stored`);
    }
  });

  it('takes a POST from this site, or from a client that does not say where from', async () => {
    const cases = [
      { 'sec-fetch-site': 'same-origin', origin: 'null' }, // as browsers send it (Referrer-Policy: no-referrer)
      { 'sec-fetch-site': 'same-origin', origin: server.base },
      { 'sec-fetch-site': 'none' },
      { origin: server.base },                             // the public address, no Sec-Fetch-Site
      { origin: 'null' },
      { origin: 'https://signpost.example', host: 'signpost.example' }, // behind a TLS proxy
      {},                                                  // curl
    ];
    for (const [i, headers] of cases.entries()) {
      const details = `sent from here ${i}`;
      const r = await send(details, headers);
      assert.equal(r.status, 200, `${JSON.stringify(headers)}: ${r.text.slice(0, 300)}`);
      assert.match(r.text, /Your report has been sent/);
      assert.equal(stored(details), 1, JSON.stringify(headers));
    }
  });
});
