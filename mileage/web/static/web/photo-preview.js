// Issue #15: a photo preview before upload. For every image file field, show what was chosen
// (a thumbnail, or the file's name and size where the browser cannot draw it, e.g. HEIC) right
// after the field, so a citizen sees a blurred or wrong photo before sending it. Local only: the
// picture is read from the device (blob: URL), nothing is sent until the form is submitted.
(function () {
  "use strict";

  function sizeText(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1) + "MB";
    return Math.max(1, Math.round(bytes / 1024)) + "KB";
  }

  function box(input) {
    var id = input.id + "-preview";
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement("div");
      el.id = id;
      el.className = "photo-preview";
      el.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", el);
    }
    return el;
  }

  function show(input) {
    var el = box(input);
    el.replaceChildren();
    Array.prototype.forEach.call(input.files || [], function (file) {
      var figure = document.createElement("figure");
      var caption = document.createElement("figcaption");
      caption.textContent = "선택한 사진: " + file.name + " (" + sizeText(file.size) + ")";
      if (/^image\/(jpeg|png|gif|webp)$/.test(file.type)) {
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = "선택한 사진 미리보기";
        img.onload = function () { URL.revokeObjectURL(img.src); };
        figure.appendChild(img);
      }
      figure.appendChild(caption);
      el.appendChild(figure);
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.id &&
        (input.accept || "").indexOf("image") !== -1) {
      show(input);
    }
  });
})();
