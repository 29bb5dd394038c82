// Site search: the header's button (or "/" anywhere outside a text field)
// opens a dialog, and only then is Pagefind's UI loaded into it, so reading a
// page never downloads the search. Kept out of the HTML so the site can run
// under a strict CSP.
(function () {
  "use strict";
  var dialog = document.getElementById("search-dialog");
  var button = document.querySelector("[data-search-open]");
  if (!dialog || !button || typeof dialog.showModal !== "function") return;
  var box = document.getElementById("site-search");
  var loading = null;

  function absolute(attribute) {
    // Pagefind imports its bundle relative to its own script, not to this
    // page: with relative URLs, "./pagefind/" on the home page would become
    // /pagefind/pagefind/. An absolute address works from every page.
    return new URL(dialog.getAttribute(attribute), document.baseURI).href;
  }

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = absolute("data-ui-css");
      document.head.appendChild(style);
      var script = document.createElement("script");
      script.src = absolute("data-ui-script");
      script.onload = resolve;
      script.onerror = function () {
        loading = null; // a later open tries again
        box.textContent = "The search could not be loaded. Try again later.";
        reject(new Error("pagefind-ui.js did not load"));
      };
      document.head.appendChild(script);
    }).then(mount);
    return loading;
  }

  function mount() {
    new window.PagefindUI({
      element: "#site-search",
      bundlePath: absolute("data-bundle"),
      showSubResults: true,
      showImages: false,
      // The essay filter lists only essays with results; site.css shows the
      // panel only when there are two or more to choose between.
      showEmptyFilters: false,
      resetStyles: false,
    });
    // Pagefind UI 1.5 gives its search field only a placeholder and a title,
    // which is no accessible label (axe: label-title-only). Its Svelte
    // component mounts synchronously, so the field exists by now.
    var field = box.querySelector("input.pagefind-ui__search-input");
    if (field) field.setAttribute("aria-label", "Search the essays");
  }

  function focusField() {
    var field = box.querySelector("input.pagefind-ui__search-input");
    if (field) {
      field.focus();
      field.select();
    }
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    load().then(focusField, function () {});
  }

  button.addEventListener("click", open);
  dialog.querySelector("[data-search-close]").addEventListener("click", function () {
    dialog.close();
  });
  // A click on the backdrop lands on the dialog itself, outside its inner box.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });
  // A result opens a page: close first, so that a link to a part of this
  // same page (a checklist) is not left behind the dialog.
  box.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a[href]")) dialog.close();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (dialog.open || event.defaultPrevented) return;
    var target = event.target;
    var typing =
      target.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName || "");
    if (typing) return;
    event.preventDefault();
    open();
  });
})();
