// Role Resources: the tree shows only for Custom access; checking a resource checks its
// parents, unchecking one unchecks its children. The server applies the same rule.
(function () {
  var tree = document.querySelector(".sa-role-tree");
  if (!tree) { return; }
  var radios = document.querySelectorAll("input[name=resource_access]");
  function sync() {
    var custom = document.querySelector("input[name=resource_access]:checked");
    tree.closest(".form-row").style.display = custom && custom.value === "custom" ? "" : "none";
  }
  radios.forEach(function (r) { r.addEventListener("change", sync); });
  sync();
  tree.addEventListener("change", function (event) {
    var box = event.target;
    var item = box.closest("li");
    if (box.checked) {
      var parent = item.parentElement.closest("li");
      while (parent) {
        parent.querySelector(":scope > label > input").checked = true;
        parent = parent.parentElement.closest("li");
      }
    } else {
      item.querySelectorAll("input").forEach(function (child) { child.checked = false; });
    }
  });
})();
