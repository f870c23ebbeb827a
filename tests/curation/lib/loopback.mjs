// Requests from other loopback addresses (127.0.0.x: the whole of
// 127.0.0.0/8 reaches a server bound to 127.0.0.1 on Linux), and the
// addresses that shared a slot of the direct-mapped rate-limit tables the
// server had before (slot = util_hash(address) % size): the rate-limit
// tests use them to show that a neighbour no longer resets a count.

import assert from 'node:assert/strict';
import http from 'node:http';
import { checkResponse } from '../../http/lib/openapi.mjs';

const MASK = (1n << 64n) - 1n;
export const UTIL_FNV_INIT = 0xcbf29ce484222325n;

// server/lib/util.c util_hash, step for step: FNV-1a's step over 8-byte
// little-endian words with a shift, then byte by byte, then a final mix.
export function utilHash(text, h = UTIL_FNV_INIT) {
  const b = Buffer.from(text, 'utf8');
  let i = 0;
  for (; i + 8 <= b.length; i += 8) {
    h ^= b.readBigUInt64LE(i);
    h = (h * 0x100000001b3n) & MASK;
    h ^= h >> 29n;
  }
  for (; i < b.length; i++) {
    h ^= BigInt(b[i]);
    h = (h * 0x100000001b3n) & MASK;
  }
  h ^= h >> 32n;
  h = (h * 0xd6e8feb86659fd93n) & MASK;
  h ^= h >> 32n;
  return h;
}

// Values printed by a C program calling util_hash(UTIL_FNV_INIT, s, strlen(s))
// (both loops: a tail only, one word and a tail, one word and nothing).
assert.equal(utilHash('127.0.0.1'), 0x774aa0c056b05966n, 'utilHash agrees with util.c');
assert.equal(utilHash('127.0.0.100'), 0x12105dc7f72fe092n, 'utilHash agrees with util.c');
assert.equal(utilHash('12345678'), 0xa0bd8b8e0f65405dn, 'utilHash agrees with util.c');
assert.equal(utilHash('a'), 0x2ef7d1316eb86f71n, 'utilHash agrees with util.c');

// Pairs of addresses 127.0.0.2 to 127.0.0.254 that shared a slot of a table
// of `slots` entries, each address in one pair only, none in `avoid`.
export function collidingPairs(slots, avoid = []) {
  const bySlot = new Map();
  const pairs = [];
  for (let x = 2; x <= 254; x++) {
    const addr = `127.0.0.${x}`;
    if (avoid.includes(addr)) continue;
    const slot = utilHash(addr) % BigInt(slots);
    const other = bySlot.get(slot);
    if (other) {
      pairs.push([other, addr]);
      bySlot.delete(slot);
    } else {
      bySlot.set(slot, addr);
    }
  }
  return pairs;
}

// One request from localAddress, validated like every other answer
// (checkResponse). Resolves {status, headers, text, json}.
export function requestFrom(base, localAddress, { method = 'GET', path, headers = {}, body } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers, localAddress, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const text = Buffer.concat(chunks).toString('utf8');
            const type = res.headers['content-type'] || null;
            checkResponse(method, path, res.statusCode, type, text, res.headers);
            resolve({ status: res.statusCode, headers: res.headers, text,
              json: type && /json/.test(type) && text ? JSON.parse(text) : undefined });
          } catch (err) {
            reject(err);
          }
        });
      });
    req.on('error', reject);
    req.end(body);
  });
}
