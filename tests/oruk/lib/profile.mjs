// The Open Referral UK profile's JSON schemas, compiled offline with Ajv.
//
// Every schema in the profile's schema/ and schema/compiled/ folders is
// registered under its canonical URL
// (https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/...),
// the URLs the profile's own openapi.json and our api-spec/openreferral.json
// use in their $refs, so relative refs ("attribute.json") and absolute ones
// resolve without a network. The schemas declare no $schema; the profile's
// openapi.json declares jsonSchemaDialect 2020-12, so they are compiled as
// 2020-12 (they use nothing that reads differently in draft-07). Formats
// (uuid, uri, email, date-time) are checked with ajv-formats.
//
// Set ORUK_PROFILE_DIR to use a copy of the profile elsewhere.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPO } from '../../http/lib/server.mjs';

// The profile lives in the shared material beside the checkout (CI lays a
// copy there too); ORUK_PROFILE_DIR overrides.
export const PROFILE_DIR = process.env.ORUK_PROFILE_DIR ||
  path.join(REPO, '..', 'shared', 'standards', 'openreferral-uk');
export const CANONICAL = 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/';
export const SPEC_PATH = path.join(REPO, 'api-spec', 'openreferral.json');
// The id our OpenAPI document is registered under (only for resolving its
// local "#/components/..." refs).
export const SPEC_ID = 'https://signpost.invalid/openreferral/v3/openapi.json';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

export const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);

// canonical URL -> file, for every schema registered.
export const registered = new Map();
for (const sub of ['', 'compiled/']) {
  const dir = path.join(PROFILE_DIR, 'schema', sub);
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const url = CANONICAL + sub + name;
    ajv.addSchema(readJson(path.join(dir, name)), url);
    registered.set(url, path.join(dir, name));
  }
}

export const profileOpenapi = readJson(path.join(PROFILE_DIR, 'schema', 'openapi.json'));

let specText;
try {
  specText = readFileSync(SPEC_PATH, 'utf8');
} catch (err) {
  throw new Error(`cannot read ${SPEC_PATH}: ${err.message}`);
}
export const SPEC_TEXT = specText;
export const spec = JSON.parse(specText);
ajv.addSchema(spec, SPEC_ID);

const compiled = new Map();
// A validator for a schema URL (with an optional #fragment).
export function validator(url) {
  let v = compiled.get(url);
  if (!v) {
    v = ajv.getSchema(url) || ajv.compile({ $ref: url });
    compiled.set(url, v);
  }
  return v;
}

const OPENAPI = CANONICAL + 'openapi.json';
// The profile's validators, by name.
export const schemas = {
  page: OPENAPI + '#/components/schemas/Page',
  apiInfo: OPENAPI + '#/paths/~1/get/responses/200/content/application~1json/schema',
  serviceList: CANONICAL + 'compiled/service_list.json',
  service: CANONICAL + 'compiled/service.json',
  organizationList: CANONICAL + 'compiled/organization_list.json',
  organization: CANONICAL + 'compiled/organization.json',
  taxonomy: CANONICAL + 'taxonomy.json',
  taxonomyTerm: CANONICAL + 'taxonomy_term.json',
};

// Throws unless data validates against the schema at url; where names the
// data in the message.
export function assertValid(url, data, where) {
  const v = validator(url);
  if (!v(data)) {
    const errors = v.errors.slice(0, 15).map((e) => {
      let value;
      try {
        value = JSON.stringify(e.instancePath.split('/').slice(1)
          .reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], data));
      } catch { value = '?'; }
      return `  ${e.instancePath || '(root)'} ${e.message}` +
        (e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '') +
        ` (value: ${String(value).slice(0, 120)})`;
    });
    throw new Error(`${where}: does not validate against ${url}:\n${errors.join('\n')}` +
      (v.errors.length > 15 ? `\n  ...and ${v.errors.length - 15} more` : ''));
  }
}

// ajv-formats' own checks, for the tests' own assertions.
const fmt = (name) => {
  const f = ajv.formats[name];
  const check = typeof f === 'function' ? f : f instanceof RegExp ? (s) => f.test(s) : f.validate;
  return typeof check === 'function' ? check : (s) => check.test(s);
};
export const isUri = fmt('uri');
export const isEmail = fmt('email');
export const isUuid = fmt('uuid');
