// A polling point's screen handed over to a voter: after two minutes without a touch,
// a key or a scroll, go back to the poll officer's desk, replacing this page in the
// history so that Back cannot bring the ballot back (the page is never cached).
(function () {
  "use strict";
  var kiosk = document.getElementById("kiosk");
  if (!kiosk) return;
  var idle = (parseInt(kiosk.dataset.idleSeconds, 10) || 120) * 1000;
  var timer = null;
  function leave() {
    var form = document.querySelector("form.ballot");
    if (form) form.reset();
    location.replace(kiosk.dataset["return"]);
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
