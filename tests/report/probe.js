// Injected at the top of <head> by check_report.cmake (never part of the report itself):
// records script errors, failed resource loads and console.error calls, and after load
// measures every <svg> and every drawn mark, then writes the result as JSON into
// <pre id="dlsim-probe"> for `chromium --dump-dom` to return.
(function () {
  var errors = [];
  window.addEventListener('error', function (e) {
    var t = e.target;
    errors.push(e.message ? 'error: ' + e.message
                          : 'resource failed: ' + ((t && (t.src || t.href)) || String(t)));
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    errors.push('unhandled rejection: ' + e.reason);
  });
  var original = console.error;
  console.error = function () {
    errors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
    original.apply(console, arguments);
  };
  window.addEventListener('load', function () {
    var svgs = document.querySelectorAll('svg'), zero = [];
    for (var i = 0; i < svgs.length; i++) {
      var r = svgs[i].getBoundingClientRect();
      if (!(r.width > 0 && r.height > 0)) zero.push(i);
    }
    var marks = document.querySelectorAll('svg polyline, svg polygon, svg rect'), drawn = 0;
    for (var j = 0; j < marks.length; j++) {
      var b = marks[j].getBoundingClientRect();
      if (b.width > 0 || b.height > 0) drawn++;
    }
    var sections = [];
    document.querySelectorAll('section[id]').forEach(function (s) { sections.push(s.id); });
    var pre = document.createElement('pre');
    pre.id = 'dlsim-probe';
    pre.textContent = JSON.stringify({
      svgs: svgs.length, zero_size: zero.length, marks: marks.length, drawn: drawn,
      oom_markers: document.querySelectorAll('#services g.marker').length,
      sections: sections.join(' '), scripts: document.scripts.length,
      errors: errors.length, first_error: errors.length ? errors[0] : ''
    });
    document.body.appendChild(pre);
  });
})();
