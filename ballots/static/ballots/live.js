// Live results: a WebSocket that receives snapshots and coalesced updates, each with a
// sequence number. A gap means something was missed, so the page asks for a fresh
// snapshot. Reconnects with back-off; without JavaScript the page shows numbers on reload.
(function () {
  "use strict";
  var root = document.getElementById("live-results");
  var indicator = document.getElementById("live-indicator");
  if (!root || !("WebSocket" in window)) return;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.dataset.ws;
  var lastSeq = -1, delay = 1000, socket = null, closedByPhase = false;
  // Django's JavaScript catalogue (jsi18n) provides these; English if it did not load.
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\(\w+\)s/g, function (m) { return String(obj[m.slice(2, -2)]); });
  };

  function setState(state, text) {
    if (!indicator) return;
    indicator.dataset.state = state;
    indicator.textContent = text;
  }

  function render(data) {
    var cast = document.getElementById("turnout-cast");
    if (cast && data.turnout) cast.textContent = data.turnout.cast;
    var split = document.getElementById("turnout-channels");
    if (split && data.channels) split.textContent = data.channels.split;
    var pct = document.getElementById("turnout-percent");
    if (pct && data.turnout && data.turnout.percent !== null && data.turnout.percent !== undefined) {
      pct.textContent = interpolate(gettext("%(percent)s% of %(electorate)s eligible"), data.turnout, true);
    }
    (data.sections || []).forEach(function (section) {
      var box = root.querySelector('[data-section="' + section.id + '"]');
      if (!box) return;
      var top = 1;
      section.rows.forEach(function (r) { if (r.support > top) top = r.support; });
      var funded = (data.outcome || {})[String(section.id)] || [];
      section.rows.forEach(function (r) {
        var row = box.querySelector('tr[data-code="' + r.code + '"]');
        if (!row) return;
        row.querySelector(".support-value").textContent = r.support;
        row.querySelector(".meter-fill").style.width = (100 * r.support / top) + "%";
        row.classList.toggle("row-funded", funded.indexOf(r.code) !== -1);
        // Rows follow the order the server sends: most support first.
        row.parentNode.appendChild(row);
      });
    });
    if (data.phase && data.phase !== "voting") { closedByPhase = true; location.reload(); }
  }

  function connect() {
    socket = new WebSocket(url);
    socket.onopen = function () { delay = 1000; setState("live", gettext("Live")); };
    socket.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg.type === "phase") { closedByPhase = true; location.reload(); return; }
      if (msg.type === "snapshot") { lastSeq = msg.seq; render(msg.data); return; }
      if (msg.type === "update") {
        if (msg.seq <= lastSeq) return;
        if (lastSeq >= 0 && msg.seq !== lastSeq + 1) socket.send(JSON.stringify({ type: "resync" }));
        lastSeq = msg.seq;
        render(msg.data);
      }
    };
    socket.onclose = function () {
      if (closedByPhase) return;
      setState("reconnecting", gettext("Reconnecting…"));
      setTimeout(connect, delay + Math.random() * 500);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
