// Progressive enhancement for the ballot: a live meter of what the voter has chosen.
// The server validates every rule; this only helps. Announced politely to screen readers.
(function () {
  "use strict";
  var form = document.querySelector("form.ballot[data-method]");
  if (!form) return;
  var method = form.dataset.method;
  var maxChoices = parseInt(form.dataset.maxChoices || "0", 10);
  var points = parseInt(form.dataset.points || "0", 10);
  var maxRanked = parseInt(form.dataset.maxRanked || "0", 10);
  var minSpend = parseInt(form.dataset.minSpend || "0", 10);
  // Django's JavaScript catalogue (jsi18n) provides these; English if it did not load.
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\(\w+\)s/g, function (m) { return String(obj[m.slice(2, -2)]); });
  };
  var lang = document.documentElement.lang || "en-GB";
  // "£52,500" in both languages, as the server writes it (civic/money.py): some
  // browsers' Welsh currency format puts a space after the sign.
  var digits = new Intl.NumberFormat(lang === "cy" ? "cy-GB" : "en-GB", { maximumFractionDigits: 0 });
  var money = { format: function (pounds) { return (pounds < 0 ? "-£" : "£") + digits.format(Math.abs(pounds)); } };

  function update(section) {
    var budget = parseInt(section.dataset.budget, 10);
    var label = section.querySelector(".meter-label");
    var meter = section.querySelector(".meter");
    var fill = section.querySelector(".meter-fill");
    if (!label || !meter) return;
    var pct = 0, text = "", over = false;
    if (method === "approval" || method === "knapsack") {
      var boxes = section.querySelectorAll("input[type=checkbox]:checked");
      var total = 0;
      boxes.forEach(function (b) { total += parseInt(b.dataset.cost, 10); });
      if (method === "knapsack") {
        pct = budget ? (100 * total) / budget : 0;
        over = total > budget;
        var amounts = { chosen: money.format(total / 100), budget: money.format(budget / 100), over: money.format((total - budget) / 100), min: minSpend };
        if (over) text = interpolate(gettext("Chosen %(chosen)s of %(budget)s: over budget by %(over)s"), amounts, true);
        else if (minSpend && pct < minSpend) text = interpolate(gettext("Chosen %(chosen)s of %(budget)s (spend at least %(min)s per cent)"), amounts, true);
        else text = interpolate(gettext("Chosen %(chosen)s of %(budget)s"), amounts, true);
      } else {
        pct = maxChoices ? (100 * boxes.length) / maxChoices : Math.min(100, boxes.length * 10);
        over = maxChoices && boxes.length > maxChoices;
        var counts = { n: boxes.length, max: maxChoices };
        text = maxChoices
          ? interpolate(ngettext("%(n)s project chosen of at most %(max)s", "%(n)s projects chosen of at most %(max)s", boxes.length), counts, true)
          : interpolate(ngettext("%(n)s project chosen", "%(n)s projects chosen", boxes.length), counts, true);
      }
    } else if (method === "points") {
      var used = 0;
      section.querySelectorAll(".points-input").forEach(function (i) { used += parseInt(i.value || "0", 10) || 0; });
      pct = points ? (100 * used) / points : 0;
      over = used > points;
      var pts = { used: used, points: points, extra: used - points };
      text = over
        ? interpolate(gettext("%(used)s of %(points)s points used: %(extra)s too many"), pts, true)
        : interpolate(gettext("%(used)s of %(points)s points used"), pts, true);
    } else if (method === "ranked") {
      var ranked = 0, seen = {}, dup = false;
      section.querySelectorAll(".rank-input").forEach(function (s) {
        if (s.value) { ranked += 1; if (seen[s.value]) dup = true; seen[s.value] = true; }
      });
      pct = maxRanked ? (100 * ranked) / maxRanked : 0;
      over = dup || (maxRanked && ranked > maxRanked);
      var ranks = { n: ranked, max: maxRanked };
      text = dup
        ? interpolate(gettext("%(n)s of %(max)s ranked: two projects share a number"), ranks, true)
        : interpolate(gettext("%(n)s of %(max)s ranked"), ranks, true);
    }
    fill.style.width = Math.min(100, pct) + "%";
    meter.setAttribute("aria-valuenow", String(Math.round(Math.min(100, pct))));
    meter.classList.toggle("meter-over", !!over);
    label.textContent = text;
  }

  form.querySelectorAll(".ballot-section").forEach(function (section) {
    section.addEventListener("change", function () { update(section); });
    section.addEventListener("input", function () { update(section); });
    update(section);
  });
  var errors = document.getElementById("ballot-errors");
  if (errors) errors.focus();
})();
