// Photo viewer for the district review: click or the buttons zoom a photo (CSP: no inline script).
(function () {
  "use strict";
  function setZoom(img, level) {
    img.dataset.zoom = String(level);
    if (level <= 1) {
      img.classList.remove("zoomed");
      img.style.width = "";
    } else {
      img.classList.add("zoomed");
      img.style.width = (img.naturalWidth * level / 2) + "px";
    }
    var out = document.getElementById(img.id + "-level");
    if (out) { out.textContent = Math.round(level * 100) + "%"; }
  }
  function init() {
    document.querySelectorAll("img[data-zoomable]").forEach(function (img) {
      img.dataset.zoom = "1";
      img.addEventListener("click", function () {
        setZoom(img, Number(img.dataset.zoom) > 1 ? 1 : 2);
      });
    });
    document.querySelectorAll("button[data-zoom-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        var img = document.getElementById(button.dataset.zoomTarget);
        if (!img) { return; }
        var step = Number(button.dataset.zoomStep);
        var level = step === 0 ? 1 : Math.min(8, Math.max(1, Number(img.dataset.zoom) + step));
        setZoom(img, level);
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
