// After htmx brings another page of results (a link with rel="next" or rel="prev"), move
// the view and the focus to the top of the region it replaced, as loading a new page
// would: otherwise a phone stays at the bottom of the new list and a screen reader is
// left on <body>. Without JavaScript the link loads the whole page, at its top.
document.addEventListener("htmx:afterSettle", function (event) {
  var config = event.detail.requestConfig;
  var link = config && config.elt;
  if (!link || !link.matches || !link.matches("a[rel=next], a[rel=prev]")) return;
  var region = event.detail.target;
  if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
  region.scrollIntoView({ block: "start" });
  region.focus({ preventScroll: true });
});

// After htmx changes the address (a filter, the next page, the guided orientation's next
// question), the language links follow it: the same page in another language keeps the
// visitor's choices, as the links the server wrote do without JavaScript.
function languageLinksFollowTheAddress() {
  document.querySelectorAll(".lang-nav a[hreflang]").forEach(function (link) {
    var url = new URL(link.getAttribute("href"), location.href);
    link.setAttribute("href", url.pathname + location.search);
  });
}
document.addEventListener("htmx:pushedIntoHistory", languageLinksFollowTheAddress);
document.addEventListener("htmx:replacedInHistory", languageLinksFollowTheAddress);
