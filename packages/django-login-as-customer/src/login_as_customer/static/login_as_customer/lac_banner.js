// Count down the assisted session's time left: until its absolute or idle limit, the earlier
// (the server enforces both).
(function () {
  var clock = document.querySelector(".lac-countdown");
  if (!clock) { return; }
  var left = parseInt(clock.dataset.secondsLeft, 10);
  function two(n) { return (n < 10 ? "0" : "") + n; }
  // M:SS, from an hour up H:MM:SS, as banner.py writes it.
  function render() {
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = m < 60 ? m + ":" + two(s) : Math.floor(m / 60) + ":" + two(m % 60) + ":" + two(s);
  }
  // At zero the page asks the server again (a GET of this address): it ends the session and
  // says so, or, if another tab of the session kept it alive, shows the new time left.
  var timer = setInterval(function () {
    if (left > 0) { left -= 1; render(); return; }
    clearInterval(timer);
    setTimeout(function () { window.location.assign(window.location.href.split("#")[0]); }, 1500);
  }, 1000);
})();
