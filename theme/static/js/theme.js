/* Colour scheme: follows prefers-color-scheme until the reader picks one with
   the toggle; the choice is kept in localStorage.
   Loaded as a blocking script in <head> so the saved scheme is applied to
   <html data-theme> before the first paint (no light flash in dark mode). */
(function () {
  "use strict";
  var KEY = "color-scheme";
  var root = document.documentElement;
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  function saved() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "dark" || value === "light" ? value : null;
    } catch (error) {
      return null; // storage blocked: follow the system, don't break the page
    }
  }

  function current() {
    return root.getAttribute("data-theme") || (systemDark.matches ? "dark" : "light");
  }

  var choice = saved();
  if (choice) root.setAttribute("data-theme", choice);
  // Shows the toggle before the first paint (CSS: html.js .theme-toggle), so
  // it takes its place without shifting the layout; without JS it stays away.
  root.classList.add("js");

  function wireToggle() {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    var label = button.querySelector("[data-theme-label]") || button;
    // The name says the state the reader sees ("Dark mode: on"); the icon
    // (site.css) shows the scheme a press switches to.
    var render = function () {
      label.textContent = current() === "dark" ? "Dark mode: on" : "Dark mode: off";
    };
    render();
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        window.localStorage.setItem(KEY, next);
      } catch (error) {
        /* storage blocked: the choice lasts for this page only */
      }
      render();
    });
    if (systemDark.addEventListener) systemDark.addEventListener("change", render);
  }

  // On a phone the navigation scrolls sideways: bring the current page's
  // link into view (Subscribe, About sit past the edge at 375 px).
  function showCurrentPage() {
    var current = document.querySelector(".site-nav a[aria-current]");
    var row = current && current.closest("ul");
    if (!row || row.scrollWidth <= row.clientWidth) return;
    var overflow = current.offsetLeft + current.offsetWidth - row.clientWidth;
    if (overflow > 0) row.scrollLeft = overflow + 16;
  }

  function wireHeader() {
    wireToggle();
    showCurrentPage();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wireHeader);
  } else {
    wireHeader();
  }
})();
