/*
 * 分享 / Share: the page address is always there in a read-only field (sharePage.astro). This adds
 * the phone's own share sheet where the Web Share API exists, otherwise a button that copies the
 * address. Plain ES5 so that old phone browsers can parse it.
 */
(function () {
  'use strict';
  var box = document.querySelector('[data-share]');
  if (!box) return;
  var field = box.querySelector('[data-share-url]');
  var nativeButton = box.querySelector('[data-share-native]');
  var copyButton = box.querySelector('[data-share-copy]');
  var status = box.querySelector('[data-share-status]');

  function say(text) {
    status.textContent = text;
  }

  function copy() {
    field.focus();
    field.select();
    if (!navigator.clipboard || !navigator.clipboard.writeText) return say(box.getAttribute('data-copy-failed'));
    navigator.clipboard.writeText(field.value).then(
      function () {
        say(box.getAttribute('data-copied'));
      },
      function () {
        // Selected above: the reader can still copy it by hand.
        say(box.getAttribute('data-copy-failed'));
      }
    );
  }

  // One tap selects the whole address, ready to copy.
  field.addEventListener('focus', function () {
    field.select();
  });

  if (typeof navigator.share === 'function') {
    nativeButton.hidden = false;
    nativeButton.addEventListener('click', function () {
      navigator.share({ title: box.getAttribute('data-title'), url: field.value }).catch(function (err) {
        // Closing the share sheet is not a failure; anything else falls back to copying.
        if (!err || err.name !== 'AbortError') copy();
      });
    });
  } else if (navigator.clipboard && navigator.clipboard.writeText) {
    copyButton.hidden = false;
    copyButton.addEventListener('click', copy);
  }
})();
