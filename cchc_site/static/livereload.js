/* cchc-site dev server only (never in `build` output): reloads the tab after a
   successful rebuild and shows content errors as an overlay. Events come from
   /__cchc/events (Server-Sent Events); each carries {epoch, errors}. A new
   epoch means a new successful build: reload. errors > 0: fetch
   /__cchc/errors and draw the list; 0: remove it. Built with DOM APIs only
   (no inline styles or scripts: the page CSP allows 'self' only). */
(function () {
  "use strict";
  if (!window.EventSource || !window.fetch || !document.createElement) { return; }
  var epoch = null;
  var overlay = null;
  var shown = "";

  function stylesheet() {
    if (document.getElementById("cchc-dev-overlay-css")) { return; }
    var link = document.createElement("link");
    link.id = "cchc-dev-overlay-css";
    link.rel = "stylesheet";
    link.href = "/__cchc/overlay.css";
    document.head.appendChild(link);
  }

  function clear() {
    if (overlay && overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
    overlay = null;
    shown = "";
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function draw(data) {
    var errors = (data && data.errors) || [];
    if (!errors.length) { clear(); return; }
    var key = JSON.stringify(errors);
    if (key === shown && overlay) { return; }
    clear();
    shown = key;
    stylesheet();
    overlay = el("div", "cchc-dev-overlay");
    overlay.setAttribute("role", "alert");
    overlay.id = "cchc-dev-overlay";
    var box = el("div", "cchc-dev-overlay__box");
    var count = errors.filter(function (e) { return e.severity === "error"; }).length;
    box.appendChild(el("h2", "cchc-dev-overlay__title",
      "Lỗi nội dung: " + count + " lỗi — trang đang hiện bản dựng tốt gần nhất"));
    var list = el("ol", "cchc-dev-overlay__list");
    errors.forEach(function (e) {
      var item = el("li", "cchc-dev-overlay__item cchc-dev-overlay__item--" + e.severity);
      var where = e.file + (e.line ? ":" + e.line + (e.col ? ":" + e.col : "") : "");
      item.appendChild(el("code", "cchc-dev-overlay__where", where));
      item.appendChild(el("span", "cchc-dev-overlay__message", " " + e.message));
      list.appendChild(item);
    });
    box.appendChild(list);
    box.appendChild(el("p", "cchc-dev-overlay__hint",
      "Sửa tệp và lưu lại: trang sẽ tự tải lại khi không còn lỗi."));
    var hide = el("button", "cchc-dev-overlay__close", "Ẩn");
    hide.type = "button";
    hide.addEventListener("click", clear);
    box.appendChild(hide);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  function fetchErrors() {
    window.fetch("/__cchc/errors", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(draw)
      .catch(function () { /* server gone: EventSource reconnects */ });
  }

  var source = new window.EventSource("/__cchc/events");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (epoch === null) {
      epoch = state.epoch;
    } else if (state.epoch !== epoch) {
      source.close();
      window.location.reload();
      return;
    }
    if (state.errors > 0) { fetchErrors(); } else { clear(); }
  });
})();
