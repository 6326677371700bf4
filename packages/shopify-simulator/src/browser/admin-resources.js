/* global window, document, setTimeout */
// The simulated admin's Products pages (served at /_sim/admin-resources.js): selecting products,
// the "More actions" menus listing the app's admin action extensions, and the modal that runs one
// in the extension host iframe (/_sim/extension-host). The host asks for what only the admin can
// do (close the modal, show a toast, navigate, the modal's title) with postMessage. State useful
// to e2e tests is mirrored on window.__lightboxSim.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sim-config").textContent);
  var sim = (window.__lightboxSim = { config: config, toasts: [], selected: [], extension: null, navigations: [] });

  // ---- toasts (shopify.toast.show from an extension) ---------------------------------------------
  var toastRoot = document.getElementById("toasts");
  function showToast(message, isError, duration) {
    var element = document.createElement("div");
    element.className = "toast" + (isError ? " toast--error" : "");
    element.setAttribute("role", "status");
    element.setAttribute("data-testid", "toast");
    element.textContent = message;
    toastRoot.appendChild(element);
    sim.toasts.push({ message: message, isError: !!isError, at: Date.now() });
    setTimeout(function () { element.remove(); }, duration || 5000);
  }

  // ---- selection (products list) -------------------------------------------------------------------
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.select-product"));
  var selectAll = document.getElementById("select-all");
  var bulkBar = document.querySelector(".bulk-bar");
  function selection() {
    return boxes.filter(function (box) { return box.checked; }).map(function (box) { return { id: box.value }; });
  }
  function syncSelection() {
    sim.selected = selection();
    if (!bulkBar) return;
    bulkBar.hidden = sim.selected.length === 0;
    document.getElementById("selected-count").textContent = sim.selected.length + " selected";
    if (selectAll) {
      selectAll.checked = sim.selected.length === boxes.length && boxes.length > 0;
      selectAll.indeterminate = sim.selected.length > 0 && sim.selected.length < boxes.length;
    }
  }
  boxes.forEach(function (box) { box.addEventListener("change", syncSelection); });
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = selectAll.checked; });
      syncSelection();
    });
  }

  // ---- "More actions" menus ------------------------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll(".menu"), function (menu) {
    var toggle = menu.querySelector("[aria-haspopup=menu]");
    var list = menu.querySelector("[role=menu]");
    function open(on) {
      list.hidden = !on;
      toggle.setAttribute("aria-expanded", on ? "true" : "false");
    }
    toggle.addEventListener("click", function (event) {
      event.stopPropagation();
      open(list.hidden);
    });
    document.addEventListener("click", function () { open(false); });
    Array.prototype.forEach.call(list.querySelectorAll("[role=menuitem]"), function (item) {
      item.addEventListener("click", function () {
        open(false);
        var extension = config.extensions.filter(function (e) { return e.handle === item.getAttribute("data-extension"); })[0];
        if (extension) openExtension(extension);
      });
    });
  });

  // ---- the extension modal -------------------------------------------------------------------------
  var modal = document.getElementById("extension-modal");
  var frame = document.getElementById("extension-frame");
  var title = document.getElementById("extension-modal-title");
  function openExtension(extension) {
    var selected = config.page === "products" ? selection() : config.selected;
    sim.extension = { handle: extension.handle, target: extension.target, selected: selected, open: true };
    title.textContent = extension.name;
    frame.src =
      "/_sim/extension-host?shop=" + encodeURIComponent(config.shop) + "&handle=" + encodeURIComponent(extension.handle) +
      "&target=" + encodeURIComponent(extension.target) + "&selected=" + encodeURIComponent(JSON.stringify(selected));
    modal.showModal();
  }
  function closeExtension() {
    if (sim.extension) sim.extension.open = false;
    if (modal.open) modal.close();
    frame.src = "about:blank";
  }
  modal.querySelector(".modal-close").addEventListener("click", closeExtension);
  modal.addEventListener("cancel", function (event) {
    event.preventDefault();
    closeExtension();
  });

  /** An extension's link: `app:<path>` opens the app at that path, `shopify:admin/<path>` an admin page. */
  function adminUrlFor(href) {
    var text = String(href);
    if (text.indexOf("app:") === 0) return config.appBasePath + "/" + text.slice(4).replace(/^\/+/, "");
    if (text.indexOf("shopify:admin/") === 0) return config.storeBasePath + "/" + text.slice("shopify:admin/".length).replace(/^\/+/, "");
    if (/^https?:\/\//.test(text)) return text;
    return null;
  }

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.source !== "lightbox-sim-extension") return;
    switch (data.type) {
      case "heading":
        if (data.heading) title.textContent = data.heading;
        break;
      case "close":
        closeExtension();
        break;
      case "toast":
        showToast(String(data.message), !!data.isError, data.duration);
        break;
      case "navigate": {
        var target = adminUrlFor(data.href);
        sim.navigations.push({ href: data.href, to: target });
        if (!target) {
          showToast("The simulator cannot open " + data.href, true);
          break;
        }
        closeExtension();
        window.location.assign(target);
        break;
      }
      default:
        break;
    }
  });

  syncSelection();
})();
