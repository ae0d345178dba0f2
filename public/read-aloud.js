/*
 * 朗读 / Read aloud: reads the page's title and main text (the elements marked
 * data-read-aloud-text) with the phone's own speech engine. The button stays hidden where there
 * is no speechSynthesis; a second press stops. Plain ES5 so that old phone browsers can parse it.
 */
(function () {
  'use strict';
  var button = document.querySelector('[data-read-aloud]');
  var synth = window.speechSynthesis;
  if (!button || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return;

  var startLabel = button.textContent;
  var stopLabel = button.getAttribute('data-stop-label') || startLabel;
  var lang = button.getAttribute('data-lang') || document.documentElement.lang;
  /** The reading in progress; events of a cancelled one are ignored. */
  var current = null;

  function stop() {
    current = null;
    button.textContent = startLabel;
  }

  /** Some engines stop after about 15 seconds of one utterance: speak groups of sentences instead. */
  function pieces(text) {
    var out = [];
    var group = '';
    text.replace(/([。！？!?；;\n]|\.\s)/g, '$1\u0000').split('\u0000').forEach(function (sentence) {
      if (group && (group + sentence).length > 160) {
        out.push(group);
        group = '';
      }
      group += sentence;
    });
    if (group.trim()) out.push(group);
    return out;
  }

  button.addEventListener('click', function () {
    synth.cancel();
    if (current) return stop();
    var text = Array.prototype.map
      .call(document.querySelectorAll('[data-read-aloud-text]'), function (el) {
        return el.innerText.trim();
      })
      .filter(Boolean)
      .join('\n');
    var parts = pieces(text);
    if (!parts.length) return;
    var reading = (current = {});
    var finish = function () {
      if (current === reading) stop();
    };
    parts.forEach(function (part, i) {
      var utterance = new window.SpeechSynthesisUtterance(part);
      utterance.lang = lang;
      utterance.onerror = finish;
      if (i === parts.length - 1) utterance.onend = finish;
      synth.speak(utterance);
    });
    button.textContent = stopLabel;
  });
  window.addEventListener('pagehide', function () {
    synth.cancel();
  });
  button.hidden = false;
})();
