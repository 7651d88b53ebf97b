// A polling point's screen handed over to a voter: after two minutes without a touch,
// a key or a scroll, go back to the poll officer's desk, replacing this page in the
// history so that Back cannot bring the ballot back (the page is never cached), and
// giving the hand-over up so that its address cannot either.
(function () {
  "use strict";
  var kiosk = document.getElementById("kiosk");
  if (!kiosk) return;
  var idle = (parseInt(kiosk.dataset.idleSeconds, 10) || 120) * 1000;
  var timer = null;
  function leave() {
    var form = document.querySelector("form.ballot");
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (form) form.reset();
    // The hand-over is given up first, so no one can come back to this ballot.
    fetch(kiosk.dataset.giveUp, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
      keepalive: true
    }).catch(function () {}).then(function () {
      location.replace(kiosk.dataset["return"]);
    });
  }
  function wake() {
    clearTimeout(timer);
    timer = setTimeout(leave, idle);
  }
  ["pointerdown", "keydown", "scroll", "touchstart", "input"].forEach(function (name) {
    document.addEventListener(name, wake, { passive: true });
  });
  wake();
})();
