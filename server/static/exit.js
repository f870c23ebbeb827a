/* Quick exit: the "Exit this page" link works without this script (it is a
 * real link with target="_top"). With it, the exit uses location.replace so
 * that Back does not return here, hides the page at once, and pressing
 * Shift three times within five seconds exits too. */
(function () {
  'use strict';
  var link = document.querySelector('[data-exit]');
  if (!link) return;
  var url = link.href;
  function leave(event) {
    if (event) event.preventDefault();
    document.documentElement.style.visibility = 'hidden';
    document.title = 'BBC Weather';
    try {
      window.top.location.replace(url);
    } catch (err) {
      window.location.replace(url);
    }
  }
  link.addEventListener('click', leave);
  var presses = 0;
  var timer = 0;
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Shift') {
      presses = 0;
      return;
    }
    if (event.repeat) return;
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) leave();
  });
})();
