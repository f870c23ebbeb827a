// The two ways the tests talk to the server. Both run checkResponse() on every
// answer, so every response any test receives is validated against the
// OpenAPI document.
//
//  get(url, opts)         global fetch (decompresses gzip transparently).
//  raw(base, {method, path, headers, body})
//                         node:http with the path sent byte for byte (no
//                         re-encoding) and no decompression: `raw` is the
//                         body as sent, `text`/`json` the decoded one.

import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { checkResponse } from './openapi.mjs';

function parseJson(contentType, text, where) {
  if (!text || !contentType || !/json/i.test(contentType)) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: body is not JSON (${err.message}): ${text.slice(0, 300)}`);
  }
}

export async function get(url, opts = {}) {
  const method = (opts.method || 'GET').toUpperCase();
  const res = await fetch(url, { ...opts, method, redirect: 'manual' });
  const text = await res.text();
  const u = new URL(url);
  const reqPath = u.pathname + u.search;
  const contentType = res.headers.get('content-type');
  checkResponse(method, reqPath, res.status, contentType, text, res.headers);
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: parseJson(contentType, text, `${method} ${reqPath}`),
    url,
  };
}

// GETs a URL and asserts a 200, returning its JSON body.
export async function getJson(url, opts) {
  const r = await get(url, opts);
  if (r.status !== 200) {
    throw new Error(`GET ${url}: expected 200, got ${r.status}: ${r.text.slice(0, 400)}`);
  }
  return r.json;
}

export function raw(base, { method = 'GET', path, headers = {}, body } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, method, path, headers, agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const rawBody = Buffer.concat(chunks);
          const encoding = (res.headers['content-encoding'] || '').toLowerCase();
          let decoded = rawBody;
          if (encoding === 'gzip' && rawBody.length > 0) decoded = gunzipSync(rawBody);
          const text = decoded.toString('utf8');
          const contentType = res.headers['content-type'] || null;
          checkResponse(method, path, res.statusCode, contentType, text, res.headers);
          resolve({
            status: res.statusCode,
            headers: res.headers,
            raw: rawBody,
            text,
            json: parseJson(contentType, text, `${method} ${path}`),
          });
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Builds a query string from [key, value] pairs or an object (values may be
// arrays), encoding with encodeURIComponent.
export function qs(params) {
  const pairs = Array.isArray(params) ? params : Object.entries(params).flatMap(
    ([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]));
  if (pairs.length === 0) return '';
  return '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
