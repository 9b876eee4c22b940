// One browser holds one assisted session. Every page of one records it (localStorage, shared
// by the browser's tabs); a tab still showing an older session, once another tab started a
// newer one (which closed this one on the server) or closed this one, says so and stops
// taking input: whatever it sent now would act in the other session.
(function () {
  var KEY = "shopassist.lac.session";
  var banner = document.querySelector(".lac-banner[data-lac-session]");
  var closer = document.querySelector("script[data-lac-closed-session]");

  function read() {
    try { return JSON.parse(window.localStorage.getItem(KEY)); } catch (error) { return null; }
  }

  if (closer) {  // the "Assisted session closed" page: the other tabs of that session learn it
    var held = read();
    if (held && String(held.id) === closer.dataset.lacClosedSession) {
      try { window.localStorage.removeItem(KEY); } catch (error) { /* storage unavailable */ }
    }
    return;
  }
  if (!banner) { return; }

  var own = {
    id: banner.dataset.lacSession,
    name: banner.dataset.lacName,
    started: parseInt(banner.dataset.lacStarted, 10)
  };
  var held = read();
  // A page of an older session rendered just before it was replaced never takes over.
  if (held && held.id !== own.id && held.started > own.started) {
    closeTab(held);
  } else {
    try { window.localStorage.setItem(KEY, JSON.stringify(own)); } catch (error) { return; }
  }

  function fill(template, values) {
    return template.replace(/%\((name|other)\)s/g, function (match, key) { return values[key]; });
  }

  function closeTab(current) {
    if (banner.dataset.lacClosed) { return; }
    banner.dataset.lacClosed = "1";
    var text = current
      ? fill(banner.dataset.lacReplaced, { name: own.name, other: current.name })
      : fill(banner.dataset.lacEnded, { name: own.name, other: "" });
    var notice = document.createElement("p");
    notice.className = "lac-banner-status lac-banner-closed";
    notice.setAttribute("role", "alert");
    notice.setAttribute("data-testid", "lac-tab-closed");
    notice.textContent = text;  // names are customer-controlled: text, never markup
    var inner = banner.querySelector(".lac-banner-inner");
    inner.replaceChildren(notice);
    document.body.classList.add("lac-tab-closed");
    Array.prototype.forEach.call(document.body.children, function (element) {
      if (element !== banner) { element.inert = true; }
    });
  }

  function check() {
    var current = read();
    if (current && current.id === own.id) { return; }
    if (current && current.started < own.started) { return; }  // stale record of an older one
    closeTab(current);
  }

  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) { check(); }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { check(); }
  });
})();
