// Walks the whole feed: the index, this document, every page of every list,
// every record at its /{id} route, and the lists under every filter value the
// data offers. Every answer goes through feedClient's checks (our OpenAPI
// document and the profile's schemas); crawl() adds the checks on links and
// e-mail addresses anywhere in a body, and returns what it saw.

import assert from 'node:assert/strict';
import { allPages, qs } from './feed.mjs';
import { isUri, isEmail } from './profile.mjs';

const URL_KEYS = new Set(['url', 'website', 'uri', 'term_uri', 'openapi_url', 'profile', 'logo']);

// Every url-like value anywhere in data is an absolute http(s) URI the
// profile's `uri` format accepts; every `email` is an address its `email`
// format accepts.
export function checkLinks(data, where, at = '') {
  if (Array.isArray(data)) {
    data.forEach((x, i) => checkLinks(x, where, `${at}/${i}`));
  } else if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      if (URL_KEYS.has(k) && typeof v === 'string') {
        assert.ok(/^https?:\/\/[^/]/.test(v) && isUri(v), `${where}: ${at}/${k} is not an http(s) URI: ${JSON.stringify(v)}`);
      } else if (k === 'email' && typeof v === 'string') {
        assert.ok(isEmail(v), `${where}: ${at}/${k} is not an e-mail address: ${JSON.stringify(v)}`);
      } else {
        checkLinks(v, where, `${at}/${k}`);
      }
    }
  }
}

// GET + checkLinks.
export async function getChecked(client, p) {
  const data = await client.getJson(p);
  checkLinks(data, `GET ${p}`);
  return data;
}

const B = '/openreferral/v3';

export async function crawl(client) {
  const seen = { index: null, services: [], serviceDetails: new Map(), organizations: [],
    organizationDetails: new Map(), taxonomies: [], taxonomyDetails: new Map(), terms: [], termDetails: new Map() };
  seen.index = await getChecked(client, B);
  await getChecked(client, `${B}/`);
  await client.getJson(`${B}/openapi.json`);
  for (const p of ['', '/', '/services', '/taxonomies', '/taxonomy_terms', '/organizations']) {
    const r = await client.get(B + p, { method: 'HEAD' });
    assert.equal(r.status, 200, `HEAD ${B}${p}`);
  }

  const list = async (p, perPage) => {
    const items = await allPages(client, p, perPage);
    checkLinks(items, `GET ${p} (all pages)`);
    return items;
  };
  seen.services = await list(`${B}/services`, 100);
  await list(`${B}/services`, 7);
  seen.organizations = await list(`${B}/organizations`, 100);
  await list(`${B}/organizations`, 4);
  seen.taxonomies = await list(`${B}/taxonomies`, 100);
  await list(`${B}/taxonomies`, 1);
  seen.terms = await list(`${B}/taxonomy_terms`, 100);
  await list(`${B}/taxonomy_terms`, 6);
  // The default page.
  for (const p of ['/services', '/organizations', '/taxonomies', '/taxonomy_terms']) await getChecked(client, B + p);

  for (const s of seen.services) seen.serviceDetails.set(s.id, await getChecked(client, `${B}/services/${s.id}`));
  for (const o of seen.organizations) seen.organizationDetails.set(o.id, await getChecked(client, `${B}/organizations/${o.id}`));
  for (const t of seen.taxonomies) seen.taxonomyDetails.set(t.id, await getChecked(client, `${B}/taxonomies/${t.id}`));
  for (const t of seen.terms) seen.termDetails.set(t.id, await getChecked(client, `${B}/taxonomy_terms/${t.id}`));

  // Filtered lists, under every filter value the data offers.
  for (const t of seen.terms) {
    await list(`${B}/services${qs({ taxonomy_term_id: t.id })}`, 100);
    await list(`${B}/taxonomy_terms${qs({ parent_id: t.id })}`, 100);
  }
  for (const t of seen.taxonomies) {
    await list(`${B}/services${qs({ taxonomy_id: t.id })}`, 100);
    await list(`${B}/taxonomy_terms${qs({ taxonomy_id: t.id })}`, 100);
  }
  for (const o of seen.organizations) await list(`${B}/services${qs({ organization_id: o.id })}`, 100);
  for (const age of [0, 5, 12, 18, 40]) {
    await list(`${B}/services${qs({ minimum_age: age, maximum_age: age })}`, 100);
  }
  await list(`${B}/services${qs({ minimum_age: 11 })}`, 100);
  await list(`${B}/services${qs({ maximum_age: 11 })}`, 100);
  await list(`${B}/services${qs({ modified_after: '2000-01-01' })}`, 100);
  await list(`${B}/services${qs({ search: 'online' })}`, 100);
  await list(`${B}/taxonomy_terms${qs({ top_only: 'true' })}`, 100);
  return seen;
}
