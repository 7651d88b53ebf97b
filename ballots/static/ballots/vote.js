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
  var money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0 });

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
        text = "Chosen " + money.format(total / 100) + " of " + money.format(budget / 100);
        if (over) text += ": over budget by " + money.format((total - budget) / 100);
        else if (minSpend && pct < minSpend) text += " (spend at least " + minSpend + "%)";
      } else {
        pct = maxChoices ? (100 * boxes.length) / maxChoices : Math.min(100, boxes.length * 10);
        over = maxChoices && boxes.length > maxChoices;
        text = boxes.length + (boxes.length === 1 ? " project chosen" : " projects chosen");
        if (maxChoices) text += " of at most " + maxChoices;
      }
    } else if (method === "points") {
      var used = 0;
      section.querySelectorAll(".points-input").forEach(function (i) { used += parseInt(i.value || "0", 10) || 0; });
      pct = points ? (100 * used) / points : 0;
      over = used > points;
      text = used + " of " + points + " points used";
      if (over) text += ": " + (used - points) + " too many";
    } else if (method === "ranked") {
      var ranked = 0, seen = {}, dup = false;
      section.querySelectorAll(".rank-input").forEach(function (s) {
        if (s.value) { ranked += 1; if (seen[s.value]) dup = true; seen[s.value] = true; }
      });
      pct = maxRanked ? (100 * ranked) / maxRanked : 0;
      over = dup || (maxRanked && ranked > maxRanked);
      text = ranked + " of " + maxRanked + " ranked" + (dup ? ": two projects share a number" : "");
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
