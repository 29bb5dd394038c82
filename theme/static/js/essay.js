// An essay's reading aids (article.html): the progress bar, where the
// browser cannot drive it from CSS alone (site.css: animation-timeline), and
// the table of contents, open beside the text on wide screens.
(function () {
  "use strict";
  var toc = document.querySelector("[data-essay-toc]");
  if (toc && window.matchMedia("(min-width: 80rem)").matches) toc.open = true;

  var bar = document.querySelector(".reading-progress-bar");
  var body = document.querySelector(".essay-body");
  if (!bar || !body) return;
  if (window.CSS && CSS.supports && CSS.supports("animation-timeline: scroll()")) return;
  var pending = false;
  function update() {
    pending = false;
    var box = body.getBoundingClientRect();
    var span = box.height - window.innerHeight;
    var done = span > 0 ? Math.min(1, Math.max(0, -box.top / span)) : 1;
    bar.style.transform = "scaleX(" + done + ")";
  }
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(update);
    }
  }
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  update();
})();
