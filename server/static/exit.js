/* Quick exit. The "Exit this page" link works without this script: it is a
 * real link with target="_top", so it leaves frames too. With the script it
 * behaves as GOV.UK's "Exit this page" component does (govuk-frontend
 * exit-this-page), as progressive enhancement:
 *  - Shift pressed three times, each press within 5 s of the last and no
 *    other key between, exits. Presses are counted on keyup; a Shift that
 *    was a modifier (Shift+A) does not count. As in the component, a press
 *    counts wherever the focus is, in a text field too.
 *  - three lights on the link show how many presses there have been, and a
 *    status region says "Shift, press 2 more times to exit." and so on;
 *  - on exit the page is blanked at once behind an overlay before the
 *    browser navigates; coming back (Back, bfcache) removes the overlay.
 * Unlike the component the exit replaces this page in the history
 * (location.replace), so Back does not return here, and it navigates the
 * top window when the page is in a frame. The class names are styled by
 * site.css and embed.css. */
(function () {
  'use strict';
  var link = document.querySelector('[data-exit]');
  if (!link) return;
  var holder = link.parentNode;
  var url = link.href;
  var WAIT = 5000;
  var presses = 0;
  var lastWasModified = false;
  var pressTimer = 0;
  var messageTimer = 0;
  var overlay = null;

  var hint = holder.querySelector('.exit-hint');
  if (hint) hint.hidden = false;

  var lights = document.createElement('span');
  lights.className = 'exit-lights';
  lights.setAttribute('aria-hidden', 'true');
  for (var i = 0; i < 3; i++) {
    var light = document.createElement('span');
    light.className = 'exit-light';
    lights.appendChild(light);
  }
  link.appendChild(lights);

  var status = document.createElement('span');
  status.className = 'exit-status';
  status.setAttribute('role', 'status');
  holder.appendChild(status);

  function show() {
    lights.classList.toggle('exit-lights-on', presses > 0);
    var each = lights.children;
    for (var j = 0; j < each.length; j++) {
      each[j].classList.toggle('exit-light-on', j < presses);
    }
  }

  function stopTimers() {
    clearTimeout(pressTimer);
    clearTimeout(messageTimer);
    pressTimer = messageTimer = 0;
  }

  function leave(event) {
    if (event) event.preventDefault();
    stopTimers();
    presses = 0;
    status.textContent = '';
    document.documentElement.classList.add('exit-hiding');
    overlay = document.createElement('div');
    overlay.className = 'exit-overlay';
    overlay.setAttribute('role', 'alert');
    document.body.appendChild(overlay);
    /* Text set after the element is in the page is announced more
     * reliably. */
    overlay.textContent = 'Loading.';
    try {
      window.top.location.replace(url);
    } catch (err) {
      window.location.replace(url);
    }
  }

  function expire() {
    clearTimeout(pressTimer);
    pressTimer = 0;
    presses = 0;
    status.textContent = 'Exit this page expired.';
    messageTimer = setTimeout(function () { status.textContent = ''; }, WAIT);
    show();
  }

  function keyup(event) {
    if (event.key === 'Shift' && !lastWasModified) {
      presses += 1;
      show();
      clearTimeout(messageTimer);
      messageTimer = 0;
      if (presses >= 3) {
        leave();
      } else {
        status.textContent = presses === 1 ? 'Shift, press 2 more times to exit.'
                                           : 'Shift, press 1 more time to exit.';
        clearTimeout(pressTimer);
        pressTimer = setTimeout(expire, WAIT);
      }
    } else if (pressTimer) {
      expire();
    }
    lastWasModified = event.shiftKey;
  }

  /* A page restored from the back-forward cache would still be blank. */
  function restore() {
    document.documentElement.classList.remove('exit-hiding');
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
    stopTimers();
    presses = 0;
    status.textContent = '';
    show();
  }

  link.addEventListener('click', leave);
  document.addEventListener('keyup', keyup, true);
  window.addEventListener('pageshow', restore);
})();
