// Filter forms: leave empty fields out of the URL so permalinks stay short and readable.
// Without this script the form still works; the URL just carries empty parameters.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form.filters, form.hero-search")) return;
  Array.prototype.forEach.call(form.elements, function (el) {
    if (el.name && !el.disabled && el.value === "") el.disabled = true;
  });
});
// Re-enable fields when the page is shown again from the back/forward cache.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form.filters [disabled], form.hero-search [disabled]").forEach(function (el) {
    el.disabled = false;
  });
});
// Copy buttons (citations): shown only where the clipboard can be written; the text stays selectable anyway.
document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  var label = button.textContent;
  button.addEventListener("click", function () {
    var target = document.getElementById(button.dataset.copy);
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = button.dataset.done;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
});
