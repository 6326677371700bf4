/* global window, document, fetch, setTimeout */
// The simulated Shopify admin's side of App Bridge (served at /_sim/admin.js). It answers the app
// iframe's postMessage requests: session tokens (minted by the simulator), toasts, the resource
// picker, the app's nav menu, title bar and save bar, top-level redirects. State useful to e2e
// tests is mirrored on window.__lightboxSim.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sim-config").textContent);
  var frame = document.getElementById("app-frame");
  var sim = (window.__lightboxSim = { config: config, toasts: [], nav: [], titleBar: null, location: null, ready: false, pickerOpen: false, loading: false });

  function reply(id, payload, error) {
    frame.contentWindow.postMessage({ source: "lightbox-sim", replyTo: id, payload: payload, error: error || null }, "*");
  }
  function send(type, payload) {
    frame.contentWindow.postMessage({ source: "lightbox-sim", type: type, payload: payload || {} }, "*");
  }

  function mintToken() {
    return fetch("/_sim/id-token?shop=" + encodeURIComponent(config.shop)).then(function (response) {
      if (!response.ok) throw new Error("could not mint a session token (" + response.status + ")");
      return response.json();
    });
  }

  // ---- toasts ----------------------------------------------------------------------------------
  var toastRoot = document.getElementById("toasts");
  function showToast(payload) {
    var element = document.createElement("div");
    element.className = "toast" + (payload.isError ? " toast--error" : "");
    element.setAttribute("role", "status");
    element.setAttribute("data-testid", "toast");
    element.dataset.toastId = payload.id;
    var text = document.createElement("span");
    text.textContent = payload.message;
    element.appendChild(text);
    if (payload.action) {
      var action = document.createElement("button");
      action.textContent = payload.action;
      action.onclick = function () { send("toast:action", { id: payload.id }); };
      element.appendChild(action);
    }
    var close = document.createElement("button");
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Dismiss");
    close.onclick = function () { removeToast(payload.id, true); };
    element.appendChild(close);
    toastRoot.appendChild(element);
    sim.toasts.push({ id: payload.id, message: payload.message, isError: payload.isError, at: Date.now() });
    setTimeout(function () { removeToast(payload.id, true); }, payload.duration || 5000);
  }
  function removeToast(id, notify) {
    var element = toastRoot.querySelector('[data-toast-id="' + id + '"]');
    if (!element) return;
    element.remove();
    if (notify) send("toast:dismiss", { id: id });
  }

  // ---- nav menu / title bar / save bar -----------------------------------------------------------
  var navRoot = document.getElementById("app-nav");
  function renderNav(items) {
    sim.nav = items;
    navRoot.innerHTML = "";
    items.forEach(function (item) {
      if (item.rel === "home") return;
      var link = document.createElement("a");
      link.href = "#";
      link.textContent = item.label;
      link.className = "nav-sub";
      link.setAttribute("data-testid", "app-nav-item");
      link.onclick = function (event) {
        event.preventDefault();
        send("navigate", { href: item.href });
      };
      navRoot.appendChild(link);
    });
  }
  var appLink = document.getElementById("app-link");
  appLink.onclick = function (event) {
    event.preventDefault();
    var home = sim.nav.filter(function (item) { return item.rel === "home"; })[0];
    send("navigate", { href: home ? home.href : config.appHome });
  };

  var titleRoot = document.getElementById("title-bar");
  function renderTitleBar(payload) {
    sim.titleBar = payload;
    titleRoot.querySelector("h1").textContent = payload.title || config.appName;
    var actions = titleRoot.querySelector(".actions");
    actions.innerHTML = "";
    (payload.buttons || []).forEach(function (button) {
      var element = document.createElement("button");
      element.textContent = button.label;
      element.disabled = !!button.disabled;
      element.className = button.variant === "primary" ? "primary" : "";
      element.onclick = function () { send("titleBar:click", { index: button.index }); };
      actions.appendChild(element);
    });
  }

  var saveBarRoot = document.getElementById("save-bar");
  function renderSaveBar(payload) {
    saveBarRoot.innerHTML = "";
    saveBarRoot.hidden = !payload.visible;
    if (!payload.visible) return;
    var label = document.createElement("span");
    label.textContent = "Unsaved changes";
    saveBarRoot.appendChild(label);
    (payload.buttons || []).forEach(function (button) {
      var element = document.createElement("button");
      element.textContent = button.label || (button.variant === "primary" ? "Save" : "Discard");
      element.className = button.variant === "primary" ? "primary" : "";
      element.onclick = function () { send("saveBar:click", { id: payload.id, index: button.index }); };
      saveBarRoot.appendChild(element);
    });
  }

  // ---- resource picker ---------------------------------------------------------------------------
  var picker = document.getElementById("picker");
  function openPicker(id, options) {
    if (options.type !== "product") {
      reply(id, null, "The simulator's resource picker supports type 'product' only");
      return;
    }
    sim.pickerOpen = true;
    var selected = {};
    (options.selectionIds || []).forEach(function (item) { if (item && item.id) selected[item.id] = true; });
    var limit = options.multiple === true ? Infinity : typeof options.multiple === "number" ? options.multiple : 1;
    var search = picker.querySelector("input[type=search]");
    var list = picker.querySelector(".picker-list");
    var confirm = picker.querySelector(".picker-confirm");
    var cancel = picker.querySelector(".picker-cancel");
    var products = [];
    picker.querySelector("h2").textContent = (options.action === "select" ? "Select" : "Add") + " products";
    confirm.textContent = options.action === "select" ? "Select" : "Add";
    search.value = options.query || "";

    function load() {
      var url = "/_sim/shops/" + encodeURIComponent(config.shop) + "/products?query=" + encodeURIComponent(search.value || "") +
        "&filter=" + encodeURIComponent(JSON.stringify(options.filter || {}));
      return fetch(url).then(function (response) { return response.json(); }).then(function (body) {
        products = body.products;
        render();
      });
    }
    function render() {
      list.innerHTML = "";
      products.forEach(function (product) {
        var row = document.createElement("label");
        row.className = "picker-row";
        row.setAttribute("data-testid", "picker-row");
        var box = document.createElement("input");
        box.type = limit === 1 ? "radio" : "checkbox";
        box.name = "picker";
        box.checked = !!selected[product.id];
        box.onchange = function () {
          if (limit === 1) selected = {};
          if (box.checked) {
            if (Object.keys(selected).length >= limit) { box.checked = false; return; }
            selected[product.id] = true;
          } else delete selected[product.id];
          confirm.disabled = Object.keys(selected).length === 0;
        };
        var image = document.createElement("img");
        image.alt = "";
        if (product.images[0]) image.src = product.images[0].originalSrc + "&width=80";
        var title = document.createElement("span");
        title.textContent = product.title;
        var status = document.createElement("small");
        status.textContent = product.status.toLowerCase();
        row.appendChild(box);
        row.appendChild(image);
        row.appendChild(title);
        row.appendChild(status);
        list.appendChild(row);
      });
      confirm.disabled = Object.keys(selected).length === 0;
    }
    function close(result) {
      sim.pickerOpen = false;
      picker.close();
      search.oninput = null;
      confirm.onclick = null;
      cancel.onclick = null;
      reply(id, result);
    }
    search.oninput = function () { load(); };
    confirm.onclick = function (event) {
      event.preventDefault();
      var all = {};
      var byId = {};
      products.forEach(function (product) { byId[product.id] = product; });
      var ids = Object.keys(selected);
      fetch("/_sim/shops/" + encodeURIComponent(config.shop) + "/products?ids=" + encodeURIComponent(ids.join(",")))
        .then(function (response) { return response.json(); })
        .then(function (body) {
          body.products.forEach(function (product) { all[product.id] = product; });
          close({ selection: ids.map(function (productId) { return all[productId] || byId[productId]; }).filter(Boolean) });
        });
    };
    cancel.onclick = function (event) {
      event.preventDefault();
      close({ selection: null });
    };
    picker.onclose = function () { if (sim.pickerOpen) close({ selection: null }); };
    load().then(function () { picker.showModal(); });
  }

  // ---- messages from the app -----------------------------------------------------------------------
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.source !== "lightbox-sim") return;
    var payload = data.payload || {};
    switch (data.type) {
      case "ready":
        sim.ready = true;
        document.body.setAttribute("data-app-ready", "true");
        break;
      case "idToken":
        mintToken().then(function (body) { reply(data.id, { idToken: body.idToken }); }, function (error) { reply(data.id, null, error.message); });
        break;
      case "toast:show":
        showToast(payload);
        break;
      case "toast:hide":
        removeToast(payload.id, false);
        break;
      case "resourcePicker":
        openPicker(data.id, payload);
        break;
      case "navMenu":
        renderNav(payload.items || []);
        break;
      case "titleBar":
        renderTitleBar(payload);
        break;
      case "saveBar":
        renderSaveBar(payload);
        break;
      case "loading":
        sim.loading = !!payload.on;
        document.getElementById("loading").hidden = !payload.on;
        break;
      case "location": {
        sim.location = payload;
        // Like Shopify: /store/<shop>/apps/<app>/<path> loads ${appUrl}/<path>; the home is bare.
        var path = payload.pathname || "/";
        var adminPath = config.adminBasePath + (path === config.appHome || path === "/" ? "" : path);
        if (window.location.pathname !== adminPath) window.history.replaceState({}, "", adminPath);
        break;
      }
      case "redirect":
        window.location.assign(payload.url);
        break;
      case "user":
        reply(data.id, { id: config.user.id, name: config.user.name, email: config.user.email, accountAccess: "Account owner" });
        break;
      case "scopes":
        reply(data.id, { granted: config.scopes, required: config.scopes, optional: [] });
        break;
      default:
        if (data.id) reply(data.id, null, "Unsupported App Bridge call in the simulator: " + data.type);
    }
  });
})();
