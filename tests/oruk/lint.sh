#!/bin/sh
# Lints api-spec/openreferral.json with Redocly's recommended rules, less two
# that cannot hold for this document:
#  - no-unresolved-refs: the item schemas are the Open Referral UK profile's
#    own, $ref'd by their canonical URLs
#    (https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/...)
#    exactly as the profile's openapi.json does. Redocly would fetch them over
#    the network, which builds and CI do not have; the tests in this folder
#    map those URLs to the local copy of the profile and resolve every one.
#  - no-path-trailing-slash: the feed answers both /openreferral/v3 and
#    /openreferral/v3/, and the document describes both.
# Run from anywhere: tests/oruk/lint.sh
set -eu
cd "$(dirname "$0")/.."
exec npx --no-install redocly lint --format=stylish \
  --skip-rule no-unresolved-refs \
  --skip-rule no-path-trailing-slash \
  ../api-spec/openreferral.json
