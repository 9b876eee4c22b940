// Count down the assisted session's time left (the server enforces the limit).
(function () {
  var clock = document.querySelector(".lac-countdown");
  if (!clock) { return; }
  var left = parseInt(clock.dataset.secondsLeft, 10);
  function render() {
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
  }
  setInterval(function () { if (left > 0) { left -= 1; render(); } }, 1000);
})();
