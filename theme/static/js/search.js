// Mount Pagefind's search UI in the header box (partials/search.html).
// Kept out of the HTML so the site can run under a strict CSP.
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  if (!box || typeof window.PagefindUI !== "function") return;
  box.hidden = false;
  new window.PagefindUI({
    element: "#site-search",
    bundlePath: box.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    resetStyles: false,
  });
})();
