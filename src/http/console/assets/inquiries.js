// Counts the inquiries' deadlines down (every 30 s) from the times the server rendered.
'use strict';
/* global document, setInterval */
(function () {
  function text(ms) {
    var m = Math.round(Math.abs(ms) / 60000);
    if (m >= 1440) return Math.floor(m / 1440) + ' d ' + Math.floor((m % 1440) / 60) + ' h';
    if (m >= 60) return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
    return m + ' min';
  }
  function tick() {
    document.querySelectorAll('.countdown[data-deadline]').forEach(function (el) {
      var left = Number(el.getAttribute('data-deadline')) - Date.now();
      el.textContent = (left >= 0 ? el.getAttribute('data-due') : el.getAttribute('data-over')) + ' ' + text(left);
      if (left < 0) el.classList.add('late');
    });
  }
  tick();
  setInterval(tick, 30000);
})();
