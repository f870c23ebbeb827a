// The outside audit tools of issue 13, run here on every page type of the
// public site, the embed builder and the embed frames:
//  1. pa11y 9 with both its runners (HTML_CodeSniffer and axe), WCAG 2 AA,
//     in Debian's Chromium: no errors.
//  2. html-validate 10 (its recommended rules) on the HTML as served: no
//     findings; in particular no phone number that can break across lines
//     (tel-non-breaking) and no trailing whitespace.
//
// Two settings, each for a reason, not to hide a finding:
//  - pa11y's axe runner injects axe into the top page only, so on the
//    builder its live preview frame is reported as "frame-tested" (axe
//    could not look inside). That frame is /embed/organisations, which is
//    in the list below and audited as a page of its own (and our own axe
//    runs, tests/browser/a11y and tests/embed, do enter frames).
//  - html-validate's form-dup-name treats a repeated name as a mistake
//    except for radio buttons; a group of checkboxes sharing one name is
//    how an HTML form sends a list (audience=a&audience=b), which is what
//    the site's filters and the API take, so checkboxes share names too.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pa11y from 'pa11y';
import { HtmlValidate } from 'html-validate';
import { CHROMIUM, PAGES, startServer } from './lib/browser.mjs';

const AUDITED = [
  ...PAGES,
  { name: 'report', path: '/organisations/nspcc/report', status: 200 },
  { name: 'embed-builder', path: '/embed', status: 200 },
  { name: 'embed-listing', path: '/embed/organisations?limit=5', status: 200 },
  { name: 'embed-listing-filtered', path: '/embed/organisations?topic=cyberbullying&audience=parents', status: 200 },
  { name: 'embed-organisation', path: '/embed/organisations/childline', status: 200 },
];

const HTML_VALIDATE = {
  extends: ['html-validate:recommended'],
  rules: {
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
  },
};

let srv;
before(async () => { srv = await startServer(); });
after(() => srv?.stop());

describe('pa11y (HTML_CodeSniffer and axe): no errors', () => {
  for (const p of AUDITED) {
    it(`${p.name} (${p.path})`, async () => {
      const result = await pa11y(srv.base + p.path, {
        runners: ['htmlcs', 'axe'],
        standard: 'WCAG2AA',
        includeWarnings: false,
        includeNotices: false,
        ignore: p.name === 'embed-builder' ? ['frame-tested'] : [],
        timeout: 60_000,
        chromeLaunchConfig: { executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] },
      });
      const errors = result.issues.filter((i) => i.type === 'error');
      assert.deepEqual(errors.map((e) => `${e.runner} ${e.code}: ${e.message} (${e.selector})`), []);
      assert.equal(result.pageUrl, srv.base + p.path);
      const res = await fetch(srv.base + p.path);
      assert.equal(res.status, p.status, 'the page audited is the page meant');
    });
  }
});

describe('html-validate: no findings', () => {
  const validator = new HtmlValidate(HTML_VALIDATE);
  for (const p of AUDITED) {
    it(`${p.name} (${p.path})`, async () => {
      const res = await fetch(srv.base + p.path);
      assert.equal(res.status, p.status);
      const report = await validator.validateString(await res.text(), p.path);
      const findings = report.results.flatMap((r) => r.messages)
        .map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`);
      assert.deepEqual(findings, []);
    });
  }

  it('would find a phone number that can break, and trailing whitespace', async () => {
    const report = await validator.validateString('<!doctype html><html lang="en"><head><title>t</title></head>' +
      '<body><main><p><a href="tel:08001111">0800 1111</a></p> \n</main></body></html>', 'probe');
    const rules = report.results.flatMap((r) => r.messages).map((m) => m.ruleId);
    assert.ok(rules.includes('tel-non-breaking'), rules.join(', '));
    assert.ok(rules.includes('no-trailing-whitespace'), rules.join(', '));
  });
});
