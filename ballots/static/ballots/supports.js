// Supports, live: the forum and proposal pages keep each proposal's public count of
// supports up to date from the vote's live socket (the same snapshots and updates as
// live results, with `supports` while the vote collects them). Without JavaScript the
// counts are those of the page's last load.
(function () {
  "use strict";
  var root = document.getElementById("supports-live");
  if (!root || !("WebSocket" in window)) return;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.dataset.ws;
  var delay = 1000, lastSeq = -1, stopped = false;
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (fmt, args) { return fmt.replace("%s", args[0]); };

  function render(data) {
    if (!data.supports) { stopped = data.phase !== "supports"; return; }
    document.querySelectorAll("[data-support-count]").forEach(function (el) {
      var n = data.supports[el.dataset.supportCount] || 0;
      el.textContent = interpolate(ngettext("%s support", "%s supports", n), [n]);
    });
  }

  function connect() {
    var socket = new WebSocket(url);
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg.type === "snapshot" || (msg.type === "update" && msg.seq > lastSeq)) {
        lastSeq = msg.seq;
        render(msg.data);
      }
      if (stopped) socket.close();
    };
    socket.onclose = function () {
      if (stopped) return;
      setTimeout(connect, delay + Math.random() * 500);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
