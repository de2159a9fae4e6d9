(function () {
  'use strict';
  // Progressive enhancement only: without this script every control and check is shown and the
  // filter form stays hidden. Filtering adds a class that hides only on screen, so printing
  // always gives the whole report.
  var form = document.getElementById('report-filters');
  var out = document.getElementById('filter-count');
  if (!form || !out) return;
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  var controls = all('article.control[data-control]');
  var rows = all('tr[data-control]');
  var checks = all('[data-check]');
  var frameworks = all('section.framework[data-framework]');
  var endpoints = all('article.endpoint');
  var groups = all('[data-filter-group]');
  var notices = all('.filter-notice');
  // In the order the count names them: worst first.
  var STATUS_WORDS = {
    fail: 'fail', warn: 'warning', error: 'error', 'not-tested': 'not tested', 'not-assessed': 'not assessed',
    evidence: 'evidence supplied', 'not-graded': 'not graded', pass: 'pass'
  };
  form.hidden = false;

  function field(name) {
    var el = form.querySelector('[name="' + name + '"]');
    return el ? el.value : '';
  }
  // The words of the chosen option, to say in the count what the filters are.
  function chosen(name) {
    var value = field(name);
    var options = Array.prototype.slice.call(form.querySelectorAll('[name="' + name + '"] option'));
    var match = options.filter(function (o) { return o.getAttribute('value') === value; })[0];
    return match ? match.textContent.trim() : value;
  }
  function tokens(el, name) {
    var holder = el.closest('[data-' + name + ']');
    var value = holder ? holder.getAttribute('data-' + name) : '';
    return value ? value.split(' ') : [];
  }
  // Every attribute a filter reads, read once: a report with thousands of endpoints must not
  // walk the document again on each change.
  function controlFacts(el) {
    return {
      el: el, status: el.getAttribute('data-status'), severities: tokens(el, 'severities'),
      frameworks: tokens(el, 'framework'), domains: tokens(el, 'domains'), section: el.closest('section.framework')
    };
  }
  function checkFacts(el) {
    return {
      el: el, status: el.getAttribute('data-status'), severities: [el.getAttribute('data-severity')],
      frameworks: tokens(el, 'frameworks'), domains: tokens(el, 'domains'), endpoint: el.closest('article.endpoint'),
      group: el.closest('[data-filter-group]')
    };
  }
  var controlItems = controls.concat(rows).map(controlFacts);
  var checkItems = checks.map(checkFacts);
  function statusMatches(status, wanted) {
    return !wanted || status === wanted || (wanted === 'problems' && (status === 'fail' || status === 'warn'));
  }
  function domainMatches(domains, wanted) {
    return !wanted || (wanted === '-' ? domains.length === 0 : domains.indexOf(wanted) >= 0);
  }
  // A control matches a domain only through its own domains: "not in the domain list" names endpoints.
  function controlMatches(c, f) {
    return statusMatches(c.status, f.status) &&
      (!f.severity || c.severities.indexOf(f.severity) >= 0) &&
      (!f.framework || c.frameworks.indexOf(f.framework) >= 0) &&
      (!f.domain || (f.domain !== '-' && domainMatches(c.domains, f.domain)));
  }
  function checkMatches(c, f) {
    return statusMatches(c.status, f.status) &&
      (!f.severity || c.severities[0] === f.severity) &&
      (!f.framework || c.frameworks.indexOf(f.framework) >= 0) &&
      domainMatches(c.domains, f.domain);
  }
  function show(el, visible) {
    el.classList.toggle('filtered-out', !visible);
  }
  // "31 controls (6 not assessed, 25 pass)": what the filters hide, by status, worst first.
  function hiddenSummary(els, noun) {
    var byStatus = {};
    var n = 0;
    els.forEach(function (el) {
      if (!el.classList.contains('filtered-out')) return;
      var s = el.getAttribute('data-status');
      byStatus[s] = (byStatus[s] || 0) + 1;
      n += 1;
    });
    if (n === 0) return '';
    return n + ' ' + noun + (n === 1 ? '' : 's') + ' (' + Object.keys(STATUS_WORDS).filter(function (s) {
      return byStatus[s];
    }).map(function (s) {
      return byStatus[s] + ' ' + STATUS_WORDS[s];
    }).join(', ') + ')';
  }
  function countVisible(els) {
    return els.filter(function (el) { return !el.classList.contains('filtered-out'); }).length;
  }

  function apply() {
    var f = { framework: field('framework'), domain: field('domain'), status: field('status'), severity: field('severity') };
    var active = Boolean(f.framework || f.domain || f.status || f.severity);
    // Containers stay when one thing inside them is shown.
    var keep = new Set();
    controlItems.forEach(function (c) {
      var ok = controlMatches(c, f);
      show(c.el, ok);
      if (ok) keep.add(c.section);
    });
    checkItems.forEach(function (c) {
      var ok = checkMatches(c, f);
      show(c.el, ok);
      if (ok) { keep.add(c.endpoint); keep.add(c.group); }
    });
    groups.forEach(function (el) { show(el, keep.has(el)); });
    frameworks.forEach(function (el) { show(el, keep.has(el)); });
    endpoints.forEach(function (el) { show(el, !active || keep.has(el)); });

    var shownControls = countVisible(controls);
    var shownChecks = countVisible(checks);
    var shownEndpoints = countVisible(endpoints);
    if (!active) {
      out.textContent = 'Showing all ' + controls.length + ' controls and all ' + checks.length + ' check results on ' +
        endpoints.length + ' endpoints. Nothing is hidden.';
    } else {
      var by = [];
      if (f.framework) by.push('framework ' + chosen('framework'));
      if (f.domain) by.push('domain ' + chosen('domain'));
      if (f.status) by.push('status ' + chosen('status'));
      if (f.severity) by.push('severity ' + chosen('severity'));
      var hidden = [hiddenSummary(controls, 'control'), hiddenSummary(checks, 'check result')].filter(Boolean);
      out.textContent = 'Showing ' + shownControls + ' of ' + controls.length + ' controls and ' + shownChecks + ' of ' +
        checks.length + ' check results (' + by.join(', ') + '). ' +
        (hidden.length ? 'Hidden: ' + hidden.join('; ') + '.' : 'Nothing is hidden.');
    }
    notices.forEach(function (el) {
      var section = el.closest('section');
      var inFrameworks = section && section.id === 'frameworks';
      var total = inFrameworks ? controls.length : checks.length;
      var shown = inFrameworks ? shownControls : shownChecks;
      el.hidden = !active || shown === total;
      el.textContent = inFrameworks
        ? 'The filters at the top hide ' + (total - shown) + ' of ' + total + ' controls here.'
        : 'The filters at the top hide ' + (total - shown) + ' of ' + total + ' check results and ' +
          (endpoints.length - shownEndpoints) + ' of ' + endpoints.length + ' endpoints here.';
    });
  }

  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  form.addEventListener('reset', function () { window.setTimeout(apply, 0); });
  apply();
})();
