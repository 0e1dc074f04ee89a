// Draws the overview's per-day charts with uPlot from /console/api/overview (the same figures as the tables).
/* global document, fetch, uPlot */
'use strict';
(function () {
  var period = document.querySelector('.period[data-days]');
  var figures = document.querySelectorAll('figure.chart[data-collection]');
  if (!period || figures.length === 0 || typeof uPlot === 'undefined') return;
  var days = period.getAttribute('data-days');
  fetch('/console/api/overview?days=' + encodeURIComponent(days), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
    .then(function (data) {
      figures.forEach(function (fig) {
        var c = data.collections.find(function (x) { return x.id === fig.getAttribute('data-collection'); });
        if (!c) return;
        var xs = c.series.map(function (p) { return Date.parse(p.day + 'T00:00:00Z') / 1000; });
        var shared = c.series.map(function (p) { return p.shared; });
        var pulled = c.series.map(function (p) { return p.pulled; });
        var width = Math.max(280, Math.min(fig.clientWidth || 600, 1140));
        var opts = {
          width: width,
          height: 200,
          tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
          series: [
            {},
            { label: fig.getAttribute('data-label-shared') || 'shared', stroke: '#1f5fa8', fill: 'rgba(31,95,168,0.12)', width: 2 },
            { label: fig.getAttribute('data-label-pulled') || 'pulled', stroke: '#b0521c', width: 2 },
          ],
          legend: { live: false },
          axes: [{}, { size: 60 }],
          scales: { x: { time: true } },
        };
        new uPlot(opts, [xs, shared, pulled], fig);
      });
    })
    .catch(function () { /* the tables still show every figure */ });
})();
