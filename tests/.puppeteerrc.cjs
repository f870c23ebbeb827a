// Puppeteer (a dependency of pa11y) must never download a browser: the
// tests use Debian's Chromium (/usr/bin/chromium), and only the npm
// registry is reachable.
module.exports = { skipDownload: true };
