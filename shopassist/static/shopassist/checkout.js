// Checkout: the new-address fields show only when "New Address" is chosen.
(function () {
  var radios = document.querySelectorAll("input[name=address_choice]");
  if (!radios.length) { return; }
  var fields = document.querySelectorAll(".sf-new-address");
  function sync() {
    var chosen = document.querySelector("input[name=address_choice]:checked");
    var isNew = !chosen || chosen.value === "new";
    fields.forEach(function (field) { field.hidden = !isNew; });
  }
  radios.forEach(function (r) { r.addEventListener("change", sync); });
  sync();
})();

// Place Order: sent once. A second click while the first is on its way does nothing (and the
// server answers a second submit of this page with the first order anyway: its one-time key).
(function () {
  var form = document.querySelector("form.sf-checkout");
  if (!form) { return; }
  var button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    // After the submit has started: a button disabled earlier would stop it.
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
  // Back from the next page (back-forward cache): the form can be used again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { delete form.dataset.sent; button.disabled = false; }
  });
})();
