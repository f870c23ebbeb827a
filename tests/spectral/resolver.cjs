// Resolves the Open Referral UK profile's schemas, which openreferral.json
// $refs by their canonical URLs, from the local copy of the profile
// (../shared/standards/openreferral-uk), as the tests in tests/oruk do:
// builds and CI have no network, and nothing may download at run time. Their
// `example` members are left out: the profile's are not ours to lint (some
// give numbers as strings).
const { Resolver } = require('@stoplight/spectral-ref-resolver');
const fs = require('node:fs');
const path = require('node:path');

const CANONICAL = 'https://raw.githubusercontent.com/openreferral/uk-profile/main/';
const LOCAL = path.resolve(__dirname, '../../../shared/standards/openreferral-uk');

module.exports = new Resolver({
  resolvers: {
    https: {
      async resolve(ref) {
        const url = ref.toString();
        if (!url.startsWith(CANONICAL))
          throw new Error(`${url}: only the Open Referral UK profile is resolved, from ${LOCAL}`);
        const schema = JSON.parse(fs.readFileSync(path.join(LOCAL, url.slice(CANONICAL.length)), 'utf8'));
        return JSON.stringify(schema, (key, value) => (key === 'example' ? undefined : value));
      },
    },
  },
});
