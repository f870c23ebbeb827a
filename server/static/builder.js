/* The embed builder, live: every change to the form rewrites the code and
 * reloads the preview, with no round trip. Without this script the form
 * still works: submitting it shows the same code. */
(function () {
  'use strict';
  var form = document.querySelector('[data-builder]');
  if (!form) return;
  var site = form.getAttribute('data-site');
  var preview = document.querySelector('[data-preview]');
  var codes = {};
  ['script', 'iframe', 'link'].forEach(function (k) {
    codes[k] = document.querySelector('[data-code="' + k + '"]');
  });
  function update() {
    var data = new FormData(form);
    var attrs = [], query = [], listing = [];
    var lists = { audience: [], topic: [] };
    data.forEach(function (value, key) {
      value = String(value).trim();
      if (!value) return;
      if (lists[key]) lists[key].push(value);
      else if (key === 'q' || key === 'limit') {
        attrs.push(' data-' + key + '="' + value.replace(/&/g, '&amp;').replace(/"/g, '&quot;') + '"');
        query.push(key + '=' + encodeURIComponent(value));
        if (key === 'q') listing.push('q=' + encodeURIComponent(value));
      }
    });
    ['audience', 'topic'].forEach(function (key) {
      if (!lists[key].length) return;
      var joined = lists[key].join(',');
      attrs.unshift(' data-' + key + '="' + joined + '"');
      query.unshift(key + '=' + encodeURIComponent(joined));
      lists[key].forEach(function (v) { listing.push(key + '=' + encodeURIComponent(v)); });
    });
    var qs = query.length ? '?' + query.join('&') : '';
    var noscriptHref = site + '/organisations' + (listing.length ? '?' + listing.join('&') : '');
    codes.script.textContent = '<script async src="' + site + '/embed.js"' + attrs.join('') +
      '><\/script>\n<noscript><a href="' + noscriptHref.replace(/&/g, '&amp;') +
      '">Find online safety support on Signpost</a></noscript>';
    codes.iframe.textContent = '<iframe src="' + (site + '/embed/organisations' + qs).replace(/&/g, '&amp;') +
      '" title="Online safety support from Signpost" width="100%" height="600" style="border:0"></iframe>';
    codes.link.textContent = noscriptHref;
    preview.src = '/embed/organisations' + qs;
  }
  form.addEventListener('change', update);
  form.addEventListener('input', update);
})();
