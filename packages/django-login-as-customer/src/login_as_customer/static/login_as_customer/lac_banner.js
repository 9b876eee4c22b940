// Count down the assisted session's time left (the server enforces the limit).
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
  setInterval(function () { if (left > 0) { left -= 1; render(); } }, 1000);
})();
