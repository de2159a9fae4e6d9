(function () {
  'use strict';
  // Progressive enhancement only: without this script every finding is shown and the form stays hidden.
  var form = document.getElementById('finding-filters');
  var out = document.getElementById('filter-count');
  if (!form || !out) return;
  var findings = Array.prototype.slice.call(document.querySelectorAll('article.finding[data-severity]'));
  var endpoints = Array.prototype.slice.call(document.querySelectorAll('article.endpoint'));
  form.hidden = false;

  function field(name) {
    var el = form.querySelector('[name="' + name + '"]');
    return el ? el.value.trim() : '';
  }

  function apply() {
    var severity = field('severity');
    var status = field('status');
    var framework = field('framework');
    var query = field('endpoint').toLowerCase();
    var active = Boolean(severity || status || framework || query);
    var shown = 0;
    findings.forEach(function (el) {
      var ok = (!severity || el.getAttribute('data-severity') === severity) &&
        (!status || el.getAttribute('data-status') === status) &&
        (!framework || (' ' + el.getAttribute('data-frameworks') + ' ').indexOf(' ' + framework + ' ') >= 0) &&
        (!query || el.getAttribute('data-endpoint').toLowerCase().indexOf(query) >= 0);
      el.hidden = !ok;
      if (ok) shown += 1;
    });
    endpoints.forEach(function (el) {
      el.hidden = active && !el.querySelector('article.finding:not([hidden])');
    });
    out.textContent = active
      ? 'Showing ' + shown + ' of ' + findings.length + ' failing and warning findings.'
      : 'Showing all ' + findings.length + ' failing and warning findings.';
  }

  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  form.addEventListener('reset', function () { window.setTimeout(apply, 0); });
  apply();
})();
