// Login as Customer button: open the confirmation dialog instead of the confirmation page.
(function () {
  if (window.lacAdminReady) { return; }
  window.lacAdminReady = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".lac-button");
    if (button) {
      var dialog = document.getElementById(button.dataset.dialog);
      if (dialog && typeof dialog.showModal === "function") {
        event.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var cancel = event.target.closest(".lac-cancel");
    if (cancel) { cancel.closest("dialog").close(); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest(".lac-confirm-form");
    var dialog = form && form.closest("dialog");
    if (dialog) {
      setTimeout(function () {
        dialog.close();
        // The re-entered password was sent; it does not stay in the page.
        form.querySelectorAll("input[type=password]").forEach(function (input) { input.value = ""; });
      }, 0);
    }
  });
})();
