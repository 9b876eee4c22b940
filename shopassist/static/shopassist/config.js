// "Use default" checkboxes enable or disable the input they govern.
document.querySelectorAll(".sa-inherit input[type=checkbox]").forEach(function (box) {
  box.addEventListener("change", function () {
    var input = document.getElementById(box.dataset.target);
    if (input) { input.disabled = box.checked; }
  });
});
