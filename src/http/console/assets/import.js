// The upload of a native file: POST to the console's import call, then follow the status with a progress bar.
/* global document, fetch, URLSearchParams, setTimeout */
'use strict';
(function () {
  var form = document.getElementById('import-form');
  if (!form) return;
  var box = document.getElementById('import-result');
  var bar = document.getElementById('import-progress');
  var statusText = document.getElementById('import-status');
  var counts = document.getElementById('import-counts');
  var failures = document.getElementById('import-failures');
  var importIssues = [];

  function item(text) {
    var li = document.createElement('li');
    li.textContent = text;
    failures.appendChild(li);
  }

  function show(s) {
    var done = (s.success_count || 0) + (s.failure_count || 0);
    bar.max = Math.max(1, s.total_count || 0);
    bar.value = done;
    statusText.textContent = s.status + ' (' + done + ' / ' + (s.total_count || 0) + ')';
    counts.textContent = '✓ ' + (s.success_count || 0) + '   ✗ ' + (s.failure_count || 0) + '   … ' + (s.pending_count || 0);
    failures.textContent = '';
    importIssues.forEach(item);
    (s.failures || []).forEach(function (f) { item(f.id + ': ' + (f.message || '')); });
  }

  function follow(id, tries) {
    fetch('/console/api/status/' + encodeURIComponent(id), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        show(s);
        if (s.status !== 'complete' && tries < 2400) setTimeout(function () { follow(id, tries + 1); }, 500);
      })
      .catch(function (e) { statusText.textContent = String(e); });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var file = form.elements.file.files[0];
    if (!file) return;
    var params = new URLSearchParams();
    if (form.elements.format.value) params.set('format', form.elements.format.value);
    if (form.elements.mapping.value) params.set('mapping', form.elements.mapping.value);
    box.hidden = false;
    failures.textContent = '';
    importIssues = [];
    bar.removeAttribute('value');
    statusText.textContent = '…';
    var q = params.toString();
    fetch('/console/api/import/' + encodeURIComponent(form.elements.collection.value) + (q ? '?' + q : ''), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': form.getAttribute('data-csrf') },
      body: file,
    })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        if (!res.ok) {
          statusText.textContent = res.body.message || res.body.error || 'error';
          var rep = res.body.details && res.body.details.import_report;
          (rep && rep.issues ? rep.issues : []).forEach(function (i) { item((i.path || '') + ' ' + i.code + ': ' + i.message); });
          return;
        }
        importIssues = (res.body.import_report && res.body.import_report.issues ? res.body.import_report.issues : [])
          .filter(function (i) { return i.severity !== 'info'; })
          .map(function (i) { return (i.path || '') + ' ' + i.code + ': ' + i.message; });
        show(res.body);
        follow(res.body.id, 0);
      })
      .catch(function (err) { statusText.textContent = String(err); });
  });
})();
