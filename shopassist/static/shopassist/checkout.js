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
