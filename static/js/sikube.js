// SIKUBE's few behaviours that need a script (loaded from /static/, allowed by the CSP).
// On a phone the book tabs scroll sideways: bring the current one into view.
document.addEventListener("DOMContentLoaded", function () {
  var current = document.querySelector("nav.tabs [aria-current=page]");
  if (current && current.scrollIntoView) {
    current.scrollIntoView({ block: "nearest", inline: "center" });
  }
});
