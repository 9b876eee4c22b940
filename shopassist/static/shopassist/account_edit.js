// Account Information: the e-mail and password fields show when their checkbox is ticked.
(function () {
  function toggle(checkboxId, fieldIds) {
    var box = document.getElementById(checkboxId);
    if (!box) { return; }
    function sync() {
      fieldIds.forEach(function (id) {
        var input = document.getElementById(id);
        if (input) { input.closest(".sf-field").hidden = !box.checked; }
      });
      var current = document.getElementById("id_current_password");
      var email = document.getElementById("id_change_email");
      var password = document.getElementById("id_change_password");
      if (current) { current.closest(".sf-field").hidden = !(email.checked || password.checked); }
    }
    box.addEventListener("change", sync);
    sync();
  }
  toggle("id_change_email", ["id_email"]);
  toggle("id_change_password", ["id_new_password", "id_new_password_confirmation"]);
})();
