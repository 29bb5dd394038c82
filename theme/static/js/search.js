// Mount Pagefind's search UI in the header box (partials/search.html).
// Kept out of the HTML so the site can run under a strict CSP.
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  if (!box || typeof window.PagefindUI !== "function") return;
  box.hidden = false;
  new window.PagefindUI({
    element: "#site-search",
    // Pagefind imports its bundle relative to its own script, not to this
    // page: with relative URLs, "./pagefind/" on the home page would become
    // /pagefind/pagefind/. An absolute address works from every page.
    bundlePath: new URL(box.getAttribute("data-bundle"), document.baseURI).href,
    showSubResults: true,
    showImages: false,
    // The essay filter lists only essays with results: the five titles with
    // "(0)" beside most of them crowded the results panel.
    showEmptyFilters: false,
    resetStyles: false,
  });
  // Pagefind UI 1.5 gives its search field only a placeholder and a title,
  // which is no accessible label (axe: label-title-only). Its Svelte
  // component mounts synchronously, so the field exists by now.
  var field = box.querySelector("input.pagefind-ui__search-input");
  if (field) field.setAttribute("aria-label", "Search the essays");
})();
