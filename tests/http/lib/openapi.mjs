// Validates responses against the published OpenAPI document
// (api-spec/openapi.yaml): the operation exists, the status and media type are
// documented for it, and a JSON body matches the documented schema.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPO } from './server.mjs';

export const SPEC_PATH = path.join(REPO, 'api-spec', 'openapi.yaml');

let specText;
try {
  specText = readFileSync(SPEC_PATH, 'utf8');
} catch (err) {
  throw new Error(`cannot read the OpenAPI document ${SPEC_PATH}: ${err.message}`);
}
export const SPEC_TEXT = specText;
export const spec = YAML.parse(specText);

const SPEC_ID = 'https://signpost.invalid/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...spec, $id: SPEC_ID }, SPEC_ID);

// The servers' path prefix ("/api/v1" when servers: [{url: /api/v1}]).
function serverPrefix() {
  const url = spec.servers && spec.servers[0] && spec.servers[0].url;
  if (!url) return '';
  const p = new URL(url, 'http://x').pathname.replace(/\/+$/, '');
  return p === '/' ? '' : p;
}
const PREFIX = serverPrefix();

const escapePointer = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
const pointer = (parts) => '/' + parts.map(escapePointer).join('/');

function resolveLocal(ref) {
  assert.ok(ref.startsWith('#/'), `only local $refs are supported: ${ref}`);
  let node = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node?.[key];
  }
  assert.ok(node !== undefined, `unresolvable $ref ${ref}`);
  return node;
}

// Follows $ref chains on a node; returns {node, ptr} with ptr the JSON pointer
// of the final target (for compiling schemas under it).
function deref(node, ptr) {
  let guard = 0;
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    ptr = node.$ref.slice(1);
    node = resolveLocal(node.$ref);
    assert.ok(++guard < 20, 'a $ref cycle');
  }
  return { node, ptr };
}

const templates = Object.keys(spec.paths || {}).map((tpl) => {
  const full = PREFIX + tpl;
  const params = (full.match(/\{[^}]+\}/g) || []).length;
  const source = full.split(/(\{[^}]+\})/).map((part) =>
    /^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
  return { tpl, full, params, re: new RegExp(`^${source}$`) };
}).sort((a, b) => a.params - b.params);

// The spec's path template for a request path (raw, query allowed), or null.
export function findPath(requestPath) {
  const p = requestPath.split('?')[0];
  const t = templates.find((x) => x.re.test(p));
  return t ? t.tpl : null;
}

const validators = new Map();
function validatorFor(ptr) {
  let v = validators.get(ptr);
  if (!v) {
    v = ajv.compile({ $ref: `${SPEC_ID}#${ptr}` });
    validators.set(ptr, v);
  }
  return v;
}

// The schema used for application/problem+json answers to paths or methods the
// document does not describe (unknown paths, 405s): components.schemas.Problem
// or the first problem+json schema found among components.responses.
function genericProblemPointer() {
  const schemas = spec.components?.schemas || {};
  for (const name of ['Problem', 'ProblemDetails', 'Error']) {
    if (schemas[name]) return pointer(['components', 'schemas', name]);
  }
  for (const [name, r] of Object.entries(spec.components?.responses || {})) {
    if (r?.content?.['application/problem+json']?.schema) {
      return pointer(['components', 'responses', name, 'content', 'application/problem+json', 'schema']);
    }
  }
  return null;
}
const PROBLEM_PTR = genericProblemPointer();

const isJsonType = (mt) => mt === 'application/json' || /^application\/[\w.+-]*\+json$/.test(mt);

function validateBody(ptr, mediaType, body, where) {
  if (!isJsonType(mediaType)) return;
  let data;
  try {
    data = JSON.parse(body);
  } catch (err) {
    assert.fail(`${where}: the ${mediaType} body is not JSON (${err.message}): ${String(body).slice(0, 300)}`);
  }
  const v = validatorFor(ptr);
  if (!v(data)) {
    assert.fail(`${where}: the body does not match the OpenAPI schema at ${ptr}:\n` +
      ajv.errorsText(v.errors, { separator: '\n' }) + `\nbody: ${String(body).slice(0, 500)}`);
  }
}

// The document describes the API under /api/; other paths (/healthz, the
// website's pages) are outside it and not checked here.
const inApi = (p) => p.startsWith('/api/');

// A response object from components.responses, or null.
function componentResponse(name) {
  const r = spec.components?.responses?.[name];
  return r ? deref(r, pointer(['components', 'responses', name])) : null;
}

const headerValidators = new Map();
function checkHeaders(resp, respPtr, getHeader, where) {
  for (const [name, h0] of Object.entries(resp.headers || {})) {
    const value = getHeader(name);
    if (value === undefined || value === null) continue;
    const { node: h, ptr: hPtr } = deref(h0, `${respPtr}/headers/${escapePointer(name)}`);
    if (!h.schema) continue;
    const { node: schema, ptr: sPtr } = deref(h.schema, `${hPtr}/schema`);
    let v = headerValidators.get(sPtr);
    if (!v) { v = validatorFor(sPtr); headerValidators.set(sPtr, v); }
    const typed = (schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(value)
      ? Number(value) : value;
    assert.ok(v(typed), `${where}: header ${name}: ${JSON.stringify(value)} does not match the documented schema ` +
      `(${ajv.errorsText(v.errors)})`);
  }
}

function toGetter(headers) {
  if (!headers) return () => undefined;
  if (typeof headers.get === 'function') return (n) => headers.get(n) ?? undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return (n) => {
    const v = lower[n.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  };
}

// checkResponse(method, path, status, contentType, body[, headers])
// Throws an AssertionError unless the answer is one the OpenAPI document
// describes: the operation exists (HEAD is described by each `get`), the
// status and the media type are documented for it, a JSON body validates
// against the documented schema, and every documented header that is present
// matches its schema. body is the decoded body text ('' for HEAD, 204, 304).
// headers (optional): a fetch Headers or a node:http headers object.
export function checkResponse(method, requestPath, status, contentType, body, headers) {
  method = method.toLowerCase();
  const where = `${method.toUpperCase()} ${requestPath} -> ${status}`;
  const mediaType = contentType ? contentType.split(';')[0].trim().toLowerCase() : null;
  const bodyless = method === 'head' || status === 204 || status === 304;
  const getHeader = toGetter(headers);
  if (status === 204 || status === 304) {
    assert.equal(body, '', `${where}: a ${status} must have no body`);
  }
  if (!inApi(requestPath)) return;

  const tpl = findPath(requestPath);
  const item = tpl ? deref(spec.paths[tpl], pointer(['paths', tpl])) : null;
  let op = null, opPtr = null;
  if (item) {
    for (const m of method === 'head' ? ['head', 'get'] : [method]) {
      if (item.node[m]) { op = item.node[m]; opPtr = `${item.ptr}/${m}`; break; }
    }
  }

  let resp, respPtr;
  if (op) {
    const responses = op.responses || {};
    const s = String(status);
    const key = [s, `${s[0]}XX`, `${s[0]}xx`, 'default'].find((k) => k in responses);
    assert.ok(key, `${where}: status ${status} is not documented for ${method.toUpperCase()} ${tpl} ` +
      `(documented: ${Object.keys(responses).join(', ')})`);
    ({ node: resp, ptr: respPtr } = deref(responses[key], `${opPtr}/responses/${escapePointer(key)}`));
  } else {
    // Not a documented operation: only an unknown path (404), a malformed
    // request (400) or another method on a known path (405) may answer, with
    // the document's shared error responses.
    const allowed = tpl ? { 400: 'BadRequest', 405: 'MethodNotAllowed' } : { 400: 'BadRequest', 404: 'NotFound' };
    assert.ok(status in allowed,
      `${where}: ${tpl ? `the document has no ${method.toUpperCase()} operation for ${tpl}` : 'the path is not in the OpenAPI document'}` +
      ` and the answer is not one of ${Object.keys(allowed).join('/')}`);
    const shared = componentResponse(allowed[status]);
    if (shared) {
      ({ node: resp, ptr: respPtr } = shared);
    } else {
      assert.ok(PROBLEM_PTR, 'the OpenAPI document defines no problem schema');
      resp = { content: { 'application/problem+json': { schema: { $ref: `#${PROBLEM_PTR}` } } } };
      respPtr = null;
    }
  }

  if (respPtr) checkHeaders(resp, respPtr, getHeader, where);
  if (status === 204 || status === 304) return;

  const content = resp.content || {};
  if (!mediaType) {
    assert.ok(body === '', `${where}: a body without a Content-Type`);
    return;
  }
  const mtKey = Object.keys(content).find((k) => k.toLowerCase() === mediaType)
    || Object.keys(content).find((k) => k === '*/*' || (k.endsWith('/*') && mediaType.startsWith(k.slice(0, -1))));
  assert.ok(mtKey, `${where}: media type ${mediaType} is not documented for this response ` +
    `(documented: ${Object.keys(content).join(', ') || 'none'})`);
  if (bodyless) return;
  const media = content[mtKey];
  if (!media.schema) return;
  const { ptr: schemaPtr } = deref(media.schema, respPtr ? `${respPtr}/content/${escapePointer(mtKey)}/schema` : null);
  validateBody(schemaPtr, mediaType, body, where);
}

