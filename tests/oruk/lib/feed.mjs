// A client for the Open Referral UK feed that checks EVERY answer it gets:
//  - against our OpenAPI document (api-spec/openreferral.json): the operation
//    exists, the status and media type are documented, the body validates
//    against the documented schema (whose item schemas are the profile's own,
//    by canonical URL) and every documented header present matches;
//  - against the Open Referral UK profile, route by route: the Page envelope
//    (schema/openapi.json#/components/schemas/Page) and each item of
//    `contents` against the profile's list/item schema, single records against
//    the compiled schemas, the index against the profile's "/" schema;
//  - Access-Control-Allow-Origin: * on every answer, JSON bodies parse.
// Every checked answer is counted in `stats`.

import assert from 'node:assert/strict';
import { ajv, spec, SPEC_ID, schemas, assertValid } from './profile.mjs';

export const BASE_PATH = '/openreferral/v3';

const escapePointer = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

function resolveLocal(ref) {
  assert.ok(ref.startsWith('#/'), `only local $refs expected here: ${ref}`);
  let node = spec;
  for (const raw of ref.slice(2).split('/')) node = node?.[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  assert.ok(node !== undefined, `unresolvable $ref ${ref}`);
  return node;
}
function deref(node, ptr) {
  while (node && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    ptr = node.$ref.slice(1);
    node = resolveLocal(node.$ref);
  }
  return { node, ptr };
}

const serverPrefix = (() => {
  const url = spec.servers?.[0]?.url || '/';
  const p = new URL(url, 'http://x').pathname.replace(/\/+$/, '');
  return p === '/' ? '' : p;
})();
const templates = Object.keys(spec.paths).map((tpl) => {
  const full = serverPrefix + tpl;
  const re = new RegExp('^' + full.split(/(\{[^}]+\})/).map((part) =>
    /^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('') + '$');
  return { tpl, re, params: (tpl.match(/\{/g) || []).length };
}).sort((a, b) => a.params - b.params);

export function findTemplate(requestPath) {
  const p = requestPath.split('?')[0];
  return templates.find((t) => t.re.test(p))?.tpl ?? null;
}

const specValidators = new Map();
function specValidator(ptr) {
  let v = specValidators.get(ptr);
  if (!v) {
    v = ajv.compile({ $ref: `${SPEC_ID}#${ptr}` });
    specValidators.set(ptr, v);
  }
  return v;
}
function assertSpecValid(ptr, data, where) {
  const v = specValidator(ptr);
  assert.ok(v(data), `${where}: the body does not match api-spec/openreferral.json at ${ptr}:\n` +
    ajv.errorsText(v.errors, { separator: '\n' }) + `\nbody: ${JSON.stringify(data).slice(0, 600)}`);
}

// Checks an answer against api-spec/openreferral.json.
export function checkAgainstSpec(method, requestPath, status, headers, body, data) {
  const where = `${method} ${requestPath} -> ${status}`;
  const tpl = findTemplate(requestPath);
  const mediaType = (headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
  let resp, respPtr;
  if (!tpl) {
    // Not a documented path: only a 404 (or 400 for a malformed request)
    // problem may come back.
    assert.ok(status === 404 || status === 400, `${where}: the path is not in api-spec/openreferral.json ` +
      'and the answer is neither 404 nor 400');
    ({ node: resp, ptr: respPtr } = deref(spec.components.responses[status === 404 ? 'NotFound' : 'BadRequest'],
      `/components/responses/${status === 404 ? 'NotFound' : 'BadRequest'}`));
  } else {
    const opPtr = `/paths/${escapePointer(tpl)}/get`;
    const op = spec.paths[tpl].get;
    assert.ok(op, `${where}: no GET operation for ${tpl}`);
    assert.ok(String(status) in op.responses,
      `${where}: status ${status} is not documented for GET ${tpl} (documented: ${Object.keys(op.responses)})`);
    ({ node: resp, ptr: respPtr } = deref(op.responses[status], `${opPtr}/responses/${status}`));
  }
  for (const [name, h0] of Object.entries(resp.headers || {})) {
    const value = headers.get(name);
    if (value === null) continue;
    const { node: h, ptr: hPtr } = deref(h0, `${respPtr}/headers/${escapePointer(name)}`);
    const { ptr: sPtr } = deref(h.schema, `${hPtr}/schema`);
    const typed = h.schema.type === 'integer' ? Number(value) : value;
    const v = specValidator(sPtr);
    assert.ok(v(typed), `${where}: header ${name}: ${JSON.stringify(value)} does not match api-spec/openreferral.json ` +
      `(${ajv.errorsText(v.errors)})`);
  }
  if (status === 304 || method === 'HEAD') return;
  const content = resp.content || {};
  assert.ok(mediaType in content, `${where}: media type ${mediaType} is not documented ` +
    `(documented: ${Object.keys(content).join(', ') || 'none'})`);
  const { ptr: schemaPtr } = deref(content[mediaType].schema,
    `${respPtr}/content/${escapePointer(mediaType)}/schema`);
  assertSpecValid(schemaPtr, data, where);
}

// The profile's schema for each feed route's 200 answer: [pageItemSchema] for
// pages, a schema URL for single records.
const PROFILE_ROUTES = {
  '/openreferral/v3': schemas.apiInfo,
  '/openreferral/v3/': schemas.apiInfo,
  '/openreferral/v3/services': [schemas.serviceList],
  '/openreferral/v3/services/{id}': schemas.service,
  '/openreferral/v3/taxonomies': [schemas.taxonomy],
  '/openreferral/v3/taxonomies/{id}': schemas.taxonomy,
  '/openreferral/v3/taxonomy_terms': [schemas.taxonomyTerm],
  '/openreferral/v3/taxonomy_terms/{id}': schemas.taxonomyTerm,
  '/openreferral/v3/organizations': [schemas.organizationList],
  '/openreferral/v3/organizations/{id}': schemas.organization,
  '/openreferral/v3/openapi.json': null,
};

// Checks a 200 answer against the Open Referral UK profile.
export function checkAgainstProfile(requestPath, data) {
  const where = `GET ${requestPath}`;
  const tpl = findTemplate(requestPath);
  assert.ok(tpl in PROFILE_ROUTES, `${where}: not a feed route the tests know (${tpl})`);
  const s = PROFILE_ROUTES[tpl];
  if (s === null) return;
  if (Array.isArray(s)) {
    assertValid(schemas.page, data, `${where} (page envelope)`);
    assert.ok(Array.isArray(data.contents), `${where}: contents is not an array`);
    data.contents.forEach((item, i) => assertValid(s[0], item, `${where} contents[${i}]`));
  } else {
    assertValid(s, data, where);
  }
}

export const stats = { responses: 0, byRoute: new Map() };

// feed(base) -> {get(path, opts), getJson(path)}; path starts with "/".
export function feedClient(base) {
  async function get(p, opts = {}) {
    const method = (opts.method || 'GET').toUpperCase();
    const res = await fetch(base + p, { ...opts, method, redirect: 'manual' });
    const text = await res.text();
    const where = `${method} ${p} -> ${res.status}`;
    assert.equal(res.headers.get('access-control-allow-origin'), '*',
      `${where}: Access-Control-Allow-Origin is ${res.headers.get('access-control-allow-origin')}, not *`);
    const ct = res.headers.get('content-type') || '';
    let json;
    if (method !== 'HEAD' && res.status !== 304) {
      assert.match(ct, /^application\/(problem\+)?json; charset=utf-8$/i, `${where}: Content-Type ${ct}`);
      try {
        json = JSON.parse(text);
      } catch (err) {
        assert.fail(`${where}: body is not JSON (${err.message}): ${text.slice(0, 300)}`);
      }
    }
    if (res.status === 200 && method === 'GET') checkAgainstProfile(p, json);
    checkAgainstSpec(method, p, res.status, res.headers, text, json);
    stats.responses++;
    const tpl = findTemplate(p) || '(unknown)';
    stats.byRoute.set(tpl, (stats.byRoute.get(tpl) || 0) + 1);
    return { status: res.status, headers: res.headers, text, json };
  }
  async function getJson(p) {
    const r = await get(p);
    assert.equal(r.status, 200, `GET ${p}: expected 200, got ${r.status}: ${r.text.slice(0, 300)}`);
    return r.json;
  }
  return { get, getJson, base };
}

// Builds "?a=1&b=2" from an object (undefined values left out).
export function qs(params) {
  const pairs = Object.entries(params).filter(([, v]) => v !== undefined);
  return pairs.length ? '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&') : '';
}

// Fetches every page of a list (path without page/per_page, may have a
// query) and checks the pages are consistent with each other and with
// total_items. Returns the items of all pages, in order.
export async function allPages(client, listPath, perPage = 100) {
  const sep = listPath.includes('?') ? '&' : '?';
  const at = (n) => `${listPath}${sep}page=${n}&per_page=${perPage}`;
  const first = await client.getJson(at(1));
  const total = first.total_items;
  const pages = Math.ceil(total / perPage);
  const items = [];
  for (let n = 1; n <= Math.max(pages, 1); n++) {
    const page = n === 1 ? first : await client.getJson(at(n));
    checkPage(page, { page: n, perPage, total, where: `GET ${at(n)}` });
    items.push(...page.contents);
  }
  // One past the last page: empty.
  const past = await client.getJson(at(Math.max(pages, 1) + 1));
  checkPage(past, { page: Math.max(pages, 1) + 1, perPage, total, where: `GET ${at(Math.max(pages, 1) + 1)}` });
  assert.equal(items.length, total, `${listPath}: the pages hold ${items.length} items, total_items says ${total}`);
  const ids = items.map((x) => x.id);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(dup, [], `${listPath}: ids repeated across pages: ${dup.join(', ')}`);
  return items;
}

// The envelope's fields agree with each other and with the page asked for.
export function checkPage(page, { page: n, perPage, total, where }) {
  const pages = Math.ceil(total / perPage);
  const expectedSize = Math.max(0, Math.min(perPage, total - (n - 1) * perPage));
  assert.equal(page.total_items, total, `${where}: total_items ${page.total_items}, expected ${total}`);
  assert.equal(page.total_pages, pages, `${where}: total_pages ${page.total_pages}, expected ${pages}`);
  assert.equal(page.page_number, n, `${where}: page_number`);
  assert.equal(page.contents.length, expectedSize, `${where}: ${page.contents.length} items, expected ${expectedSize}`);
  assert.equal(page.size, page.contents.length, `${where}: size ${page.size} but contents has ${page.contents.length}`);
  assert.equal(page.first_page, n === 1, `${where}: first_page`);
  assert.equal(page.last_page, n >= pages, `${where}: last_page`);
  assert.equal(page.empty, page.contents.length === 0, `${where}: empty`);
}

// Throws unless data validates against components.schemas[name] of
// api-spec/openreferral.json.
export function assertSpecSchema(name, data, where) {
  assert.ok(spec.components.schemas[name], `api-spec/openreferral.json has no schema ${name}`);
  assertSpecValid(`/components/schemas/${name}`, data, where);
}
