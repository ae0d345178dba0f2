/*
 * Offline reading, on top of pages that work without it: registers the service worker (sw.js),
 * tells it who is reading (signed in or not, which village is "my village"), and shows the
 * "saved at" note when the page came from the phone's cache instead of the network.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var root = document.documentElement;

  // sw.js marks a page it answered from its cache with the time it saved that copy.
  var savedAt = root.getAttribute('data-saved-at');
  var note = document.querySelector('[data-offline-note]');
  if (savedAt && note) {
    var when = new Date(savedAt).toLocaleString(root.lang, { dateStyle: 'medium', timeStyle: 'short' });
    note.textContent = note.textContent.replace('{time}', when);
    note.hidden = false;
  }

  if (!script || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(script.getAttribute('data-sw'), { scope: '/' }).catch(function () {
    // Without a service worker the site simply needs the network, as before.
  });
  // A saved copy may be out of date about sign-in and "my village": only fresh pages report. The
  // offline page (data-saved-pages) is a saved copy too, shown in place of the page asked for.
  if (savedAt || document.querySelector('[data-saved-pages]')) return;

  function tell(message) {
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }
  tell({
    type: 'page',
    signedIn: script.getAttribute('data-signed-in') === '1',
    myVillage: script.getAttribute('data-my-village') || null,
    // Not answered by the worker (the first visit): the worker saves it now.
    url: location.href,
    controlled: navigator.serviceWorker.controller !== null,
    // The offline page is kept in the language and text size the reader uses.
    variant: root.lang + ' ' + (root.getAttribute('data-text-size') || 'standard'),
  });
  window.addEventListener('online', function () {
    tell({ type: 'online' });
  });
})();
