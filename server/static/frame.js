/* Inside an embedded listing: tell the page that frames us how tall we are,
 * and only that page. The parent's origin comes in the fragment
 * (#origin=https://council.example), set by /embed.js; messages go to that
 * origin only, and the only message we accept is a ping from it. */
(function () {
  'use strict';
  if (window.parent === window) return;
  var match = /(?:^#|&)origin=([^&]+)/.exec(location.hash);
  var origin = match ? decodeURIComponent(match[1]) : '';
  if (!/^https?:\/\/[^\/?#]+$/.test(origin)) return;
  var root = document.querySelector('.sp-embed');
  if (!root) return;
  /* The parent sizes us: a scrollbar would only change our width. */
  document.documentElement.className += ' sp-sized';
  var last = 0;
  function send() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'signpost:resize', height: height }, origin);
  }
  if (window.ResizeObserver) new ResizeObserver(send).observe(root);
  window.addEventListener('load', send);
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || event.source !== window.parent) return;
    if (event.data && event.data.type === 'signpost:ping') {
      last = 0;
      send();
    }
  });
  send();
})();
