// "Quitter ce site rapidement": leave at once and replace this page in the history, so
// the Back button does not bring it back. Without JavaScript the link still leaves.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-quick-exit]");
  if (!link) return;
  event.preventDefault();
  window.location.replace(link.href);
});
