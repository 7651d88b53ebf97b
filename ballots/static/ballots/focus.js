// Focus mode for the ballot (on the screen at a polling point, and online with
// ?focus=1): one budget at a time, the rules of this ballot in plain words at the top
// of each, updating as the voter chooses; Back and Next on every step; a review of
// every choice before casting, each with a way back to change it. Without JavaScript
// the same form shows every budget at once and works the same: this only arranges it.
(function () {
  "use strict";
  var form = document.querySelector("form.ballot[data-focus]");
  if (!form) return;
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\(\w+\)s/g, function (m) { return String(obj[m.slice(2, -2)]); });
  };
  var method = form.dataset.method;
  var maxChoices = parseInt(form.dataset.maxChoices || "0", 10);
  var points = parseInt(form.dataset.points || "0", 10);
  var maxRanked = parseInt(form.dataset.maxRanked || "0", 10);
  var lang = document.documentElement.lang || "en-GB";
  var digits = new Intl.NumberFormat(lang === "cy" ? "cy-GB" : "en-GB", { maximumFractionDigits: 0 });
  function money(pence) { return (pence < 0 ? "-£" : "£") + digits.format(Math.abs(pence) / 100); }

  var sections = Array.prototype.slice.call(form.querySelectorAll(".ballot-section"));
  var submit = form.querySelector("button[type=submit]");
  if (!sections.length || !submit) return;
  form.classList.add("focus-mode");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function button(text, cls, onClick) {
    var b = el("button", "button " + cls, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function name(section) {
    return section.querySelector(".ballot-place").textContent.trim();
  }

  // What this budget's rules leave the voter, in words.
  function rules(section) {
    var budget = parseInt(section.dataset.budget, 10);
    if (method === "approval" || method === "knapsack") {
      var chosen = section.querySelectorAll("input[type=checkbox]:checked");
      if (method === "knapsack") {
        var spent = 0;
        chosen.forEach(function (b) { spent += parseInt(b.dataset.cost, 10); });
        var left = budget - spent;
        return left >= 0
          ? interpolate(gettext("%(left)s left of %(budget)s."), { left: money(left), budget: money(budget) }, true)
          : interpolate(gettext("Over the budget by %(over)s: take a project out."), { over: money(-left) }, true);
      }
      if (!maxChoices) {
        return interpolate(ngettext("%(n)s project chosen; choose as many as you support.", "%(n)s projects chosen; choose as many as you support.", chosen.length), { n: chosen.length }, true);
      }
      var more = maxChoices - chosen.length;
      if (more > 0) return interpolate(ngettext("You can choose %(n)s more project.", "You can choose %(n)s more projects.", more), { n: more }, true);
      if (more === 0) return interpolate(gettext("You have chosen the most you can (%(n)s)."), { n: maxChoices }, true);
      return interpolate(ngettext("Too many: take %(n)s project out.", "Too many: take %(n)s projects out.", -more), { n: -more }, true);
    }
    if (method === "points") {
      var used = 0;
      section.querySelectorAll(".points-input").forEach(function (i) { used += parseInt(i.value || "0", 10) || 0; });
      var rest = points - used;
      return rest >= 0
        ? interpolate(ngettext("%(n)s point left to share out.", "%(n)s points left to share out.", rest), { n: rest }, true)
        : interpolate(ngettext("%(n)s point too many.", "%(n)s points too many.", -rest), { n: -rest }, true);
    }
    var ranked = 0;
    section.querySelectorAll(".rank-input").forEach(function (s) { if (s.value) ranked += 1; });
    var open = maxRanked - ranked;
    return open > 0
      ? interpolate(ngettext("You can rank %(n)s more project.", "You can rank %(n)s more projects.", open), { n: open }, true)
      : interpolate(gettext("You have ranked the most you can (%(n)s)."), { n: maxRanked }, true);
  }

  // What the voter chose in one budget, as lines for the review.
  function choices(section) {
    var lines = [];
    section.querySelectorAll(".ballot-item").forEach(function (item) {
      var title = item.querySelector(".ballot-title").textContent.trim();
      var box = item.querySelector("input[type=checkbox]");
      var pts = item.querySelector(".points-input");
      var rank = item.querySelector(".rank-input");
      if (box && box.checked) lines.push([0, title]);
      if (pts && parseInt(pts.value || "0", 10) > 0) lines.push([0, interpolate(gettext("%(title)s: %(n)s points"), { title: title, n: pts.value }, true)]);
      if (rank && rank.value) lines.push([parseInt(rank.value, 10), interpolate(gettext("%(n)s. %(title)s"), { title: title, n: rank.value }, true)]);
    });
    lines.sort(function (a, b) { return a[0] - b[0]; });
    return lines.map(function (l) { return l[1]; });
  }

  var steps = [];
  var review = el("section", "focus-review card");
  review.setAttribute("aria-labelledby", "focus-review-heading");
  var reviewHeading = el("h2", "focus-step", gettext("Check your choices"));
  reviewHeading.id = "focus-review-heading";
  reviewHeading.tabIndex = -1;
  var reviewList = el("div", "focus-review-list");
  review.appendChild(reviewHeading);
  review.appendChild(reviewList);
  var reviewNav = el("div", "focus-nav");
  review.appendChild(reviewNav);
  submit.parentNode.insertBefore(review, submit);
  reviewNav.appendChild(button(gettext("Back"), "button-quiet", function () { show(sections.length - 1); }));
  reviewNav.appendChild(submit);
  // The receipt of an earlier vote (to replace it) is asked for with the review.
  var receipt = form.querySelector("#receipt");
  if (receipt) review.insertBefore(receipt.closest(".field"), reviewNav);

  sections.forEach(function (section, i) {
    var head = el("p", "focus-step", interpolate(gettext("Budget %(i)s of %(n)s"), { i: i + 1, n: sections.length }, true));
    head.tabIndex = -1;
    var rule = el("p", "focus-rules");
    rule.setAttribute("aria-live", "polite");
    section.insertBefore(rule, section.querySelector(".meter-box"));
    section.parentNode.insertBefore(head, section);
    var nav = el("div", "focus-nav");
    if (i > 0) nav.appendChild(button(gettext("Back"), "button-quiet", function () { show(i - 1); }));
    nav.appendChild(button(
      i < sections.length - 1
        ? interpolate(gettext("Next: %(name)s"), { name: name(sections[i + 1]) }, true)
        : gettext("Review my choices"),
      "",
      function () { show(i + 1); }
    ));
    section.appendChild(nav);
    function refresh() { rule.textContent = rules(section); }
    section.addEventListener("change", refresh);
    section.addEventListener("input", refresh);
    refresh();
    steps.push({ head: head, section: section });
  });

  function fillReview() {
    reviewList.textContent = "";
    sections.forEach(function (section, i) {
      var box = el("div", "focus-review-budget");
      box.appendChild(el("h3", "", name(section)));
      var chosen = choices(section);
      if (chosen.length) {
        var ul = el("ul");
        chosen.forEach(function (line) { ul.appendChild(el("li", "", line)); });
        box.appendChild(ul);
      } else {
        box.appendChild(el("p", "muted", gettext("Nothing chosen in this budget.")));
      }
      var change = button(
        interpolate(gettext("Change %(name)s"), { name: name(section) }, true),
        "button-quiet button-small",
        function () { show(i); }
      );
      box.appendChild(change);
      reviewList.appendChild(box);
    });
  }

  function show(index, quietly) {
    steps.forEach(function (step, i) {
      step.section.hidden = i !== index;
      step.head.hidden = i !== index;
    });
    review.hidden = index !== sections.length;
    var target = index === sections.length ? reviewHeading : steps[index].head;
    if (index === sections.length) fillReview();
    if (quietly) return;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }

  // A ballot the server sent back with errors opens on the review, where every
  // choice can be seen and changed; a new one on its first budget.
  show(document.getElementById("ballot-errors") ? sections.length : 0, true);
})();
