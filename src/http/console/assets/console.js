// The console's shared behaviour: the print button of the report. (No inline script anywhere: the CSP forbids it.)
/* global document, window, HTMLElement */
'use strict';
document.addEventListener('click', function (e) {
  var t = e.target;
  if (t instanceof HTMLElement && t.dataset.action === 'print') window.print();
});
