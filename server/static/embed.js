/* Signpost embed. Paste where the listing should appear:
 *   <script async src="https://SIGNPOST/embed.js" data-audience="parents"
 *     data-topic="cyberbullying" data-q="" data-limit="5"></script>
 * It puts an iframe of the listing in place of this script and keeps the
 * iframe as tall as the listing. Several on one page work independently.
 * Only size messages from Signpost's own frame are believed. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || script.getAttribute('data-signpost-done')) return;
  script.setAttribute('data-signpost-done', '1');
  var origin = new URL(script.src, location.href).origin;
  var params = [];
  ['audience', 'topic', 'q', 'limit'].forEach(function (name) {
    var value = script.getAttribute('data-' + name);
    if (value) params.push(name + '=' + encodeURIComponent(value));
  });
  var frame = document.createElement('iframe');
  frame.src = origin + '/embed/organisations' + (params.length ? '?' + params.join('&') : '') +
    '#origin=' + encodeURIComponent(location.origin);
  frame.title = script.getAttribute('data-title') || 'Online safety support from Signpost';
  frame.setAttribute('style', 'display:block;width:100%;height:420px;border:0');
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'signpost:resize') return;
    var height = Number(data.height);
    if (!isFinite(height) || height < 40 || height > 20000) return;
    frame.style.height = Math.ceil(height) + 'px';
  });
})();
