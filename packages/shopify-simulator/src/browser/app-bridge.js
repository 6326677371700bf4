/* global window, document, Request, Headers, URLSearchParams, HTMLElement, MutationObserver, CustomEvent, Event, atob */
// App Bridge stand-in, served by the Shopify simulator at /app-bridge.js. The app loads it instead of
// https://cdn.shopify.com/shopifycloud/app-bridge.js when it runs against the simulator. It
// provides the `shopify` global App Bridge React 4 uses (idToken, toast, resourcePicker, config,
// loading, modal, saveBar, user, scopes, environment), patches `fetch` so same-origin requests carry
// `Authorization: Bearer <session token>`, and implements <ui-nav-menu>, <ui-title-bar>, <ui-modal>
// and <ui-save-bar>. Everything that shows up in the admin (toasts, the picker, the nav menu, the
// title bar) is rendered by the simulator's admin page, reached with postMessage.
(function () {
  "use strict";
  if (window.shopify && window.shopify.__simulator) return;

  var script = document.currentScript;
  var simOrigin = script && script.src ? new URL(script.src).origin : "";
  var params = new URLSearchParams(window.location.search);
  var stored = {};
  try {
    stored = JSON.parse(window.sessionStorage.getItem("lightbox-sim:app-bridge") || "{}");
  } catch {
    stored = {};
  }
  var metaKey = document.querySelector('meta[name="shopify-api-key"]');
  var config = {
    apiKey: (script && script.getAttribute("data-api-key")) || (metaKey && metaKey.getAttribute("content")) || stored.apiKey || "",
    shop: params.get("shop") || stored.shop || "",
    host: params.get("host") || stored.host || "",
    locale: params.get("locale") || stored.locale || "en-US",
    disabledFeatures: [],
    experimentalFeatures: [],
    appOrigins: [],
  };
  var featuresMeta = document.querySelector('meta[name="shopify-disabled-features"]');
  if (featuresMeta) config.disabledFeatures = (featuresMeta.getAttribute("content") || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  try {
    window.sessionStorage.setItem("lightbox-sim:app-bridge", JSON.stringify({ apiKey: config.apiKey, shop: config.shop, host: config.host, locale: config.locale }));
  } catch {
    // storage unavailable: fine
  }

  var embedded = window.parent !== window;
  var pending = {};
  var counter = 0;
  var handlers = {};

  function post(type, payload) {
    if (!embedded) return;
    window.parent.postMessage({ source: "lightbox-sim", type: type, payload: payload || {} }, "*");
  }

  function request(type, payload) {
    return new Promise(function (resolve, reject) {
      if (!embedded) {
        reject(new Error("App Bridge: the app is not embedded in the (simulated) Shopify admin"));
        return;
      }
      counter += 1;
      var id = "r" + counter + "-" + Date.now();
      pending[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage({ source: "lightbox-sim", type: type, id: id, payload: payload || {} }, "*");
    });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.source !== "lightbox-sim") return;
    if (data.replyTo && pending[data.replyTo]) {
      var entry = pending[data.replyTo];
      delete pending[data.replyTo];
      if (data.error) entry.reject(new Error(data.error));
      else entry.resolve(data.payload);
      return;
    }
    var handler = handlers[data.type];
    if (handler) handler(data.payload || {});
  });

  // ---- session tokens -------------------------------------------------------------------------
  var cachedToken = null;
  function tokenFresh(token) {
    try {
      var claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return claims.exp * 1000 - Date.now() > 10000;
    } catch {
      return false;
    }
  }
  function idToken() {
    if (cachedToken && tokenFresh(cachedToken)) return Promise.resolve(cachedToken);
    var obtain = embedded
      ? request("idToken", { shop: config.shop }).then(function (payload) { return payload.idToken; })
      : originalFetch(simOrigin + "/_sim/id-token?shop=" + encodeURIComponent(config.shop))
          .then(function (response) { return response.json(); })
          .then(function (body) { return body.idToken; });
    return obtain.then(function (token) {
      cachedToken = token;
      return token;
    });
  }

  // ---- toast -----------------------------------------------------------------------------------
  var toastCallbacks = {};
  var toastCounter = 0;
  var toast = {
    show: function (message, opts) {
      opts = opts || {};
      toastCounter += 1;
      var id = "toast-" + toastCounter;
      toastCallbacks[id] = { onAction: opts.onAction, onDismiss: opts.onDismiss };
      post("toast:show", { id: id, message: String(message), duration: opts.duration || 5000, isError: !!opts.isError, action: opts.action || null });
      return id;
    },
    hide: function (id) {
      post("toast:hide", { id: id });
    },
  };
  handlers["toast:action"] = function (payload) {
    var callbacks = toastCallbacks[payload.id];
    if (callbacks && typeof callbacks.onAction === "function") callbacks.onAction();
  };
  handlers["toast:dismiss"] = function (payload) {
    var callbacks = toastCallbacks[payload.id];
    delete toastCallbacks[payload.id];
    if (callbacks && typeof callbacks.onDismiss === "function") callbacks.onDismiss();
  };

  // ---- resource picker -------------------------------------------------------------------------
  function resourcePicker(options) {
    options = options || {};
    var plain = {
      type: options.type,
      action: options.action || "add",
      multiple: options.multiple === undefined ? false : options.multiple,
      query: options.query || "",
      filter: options.filter || {},
      selectionIds: options.selectionIds || [],
    };
    return request("resourcePicker", plain).then(function (payload) {
      if (!payload || !payload.selection) return undefined;
      var selection = payload.selection;
      // App Bridge returns the array with a (deprecated) `selection` property pointing at itself.
      Object.defineProperty(selection, "selection", { value: selection, enumerable: false });
      return selection;
    });
  }

  // ---- nav menu, title bar, save bar, modal ----------------------------------------------------
  function navItems() {
    var menu = document.querySelector("ui-nav-menu");
    if (!menu) return [];
    return Array.prototype.map.call(menu.querySelectorAll("a"), function (anchor) {
      return { label: (anchor.textContent || "").trim(), href: anchor.getAttribute("href") || "", rel: anchor.getAttribute("rel") || null };
    });
  }
  function sendNav() {
    post("navMenu", { items: navItems() });
  }
  // Admin nav click: like App Bridge, dispatch a bubbling `shopify:navigate` event on the link
  // (shopify-app-remix's AppProvider listens for it and navigates client-side). If nothing moved
  // the app shortly after, fall back to clicking the link.
  handlers.navigate = function (payload) {
    var menu = document.querySelector("ui-nav-menu");
    var anchors = menu ? menu.querySelectorAll("a") : [];
    var anchor = null;
    for (var i = 0; i < anchors.length; i += 1) {
      if (anchors[i].getAttribute("href") === payload.href) anchor = anchors[i];
    }
    var temporary = !anchor;
    if (temporary) {
      anchor = document.createElement("a");
      anchor.setAttribute("href", payload.href);
      anchor.style.display = "none";
      document.body.appendChild(anchor);
    }
    var before = window.location.href;
    anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true, cancelable: true }));
    window.setTimeout(function () {
      if (window.location.href === before && new URL(payload.href, before).href !== before) anchor.click();
      if (temporary && anchor.parentNode) anchor.parentNode.removeChild(anchor);
    }, 100);
  };

  function buttonsOf(element) {
    return Array.prototype.map.call(element.querySelectorAll("button"), function (button, index) {
      return { index: index, label: (button.textContent || "").trim(), variant: button.getAttribute("variant") || null, disabled: button.disabled || button.hasAttribute("disabled"), tone: button.getAttribute("tone") || null };
    });
  }
  function sendTitleBar() {
    var bar = document.querySelector("ui-title-bar");
    post("titleBar", bar ? { title: bar.getAttribute("title") || "", buttons: buttonsOf(bar) } : { title: null, buttons: [] });
  }
  handlers["titleBar:click"] = function (payload) {
    var bar = document.querySelector("ui-title-bar");
    var button = bar ? bar.querySelectorAll("button")[payload.index] : null;
    if (button) button.click();
  };

  var saveBarVisible = {};
  function sendSaveBar(id) {
    var element = document.getElementById(id);
    post("saveBar", { id: id, visible: !!saveBarVisible[id], buttons: element ? buttonsOf(element) : [] });
  }
  handlers["saveBar:click"] = function (payload) {
    var element = document.getElementById(payload.id);
    var button = element ? element.querySelectorAll("button")[payload.index] : null;
    if (button) button.click();
  };
  var saveBar = {
    show: function (id) { saveBarVisible[id] = true; sendSaveBar(id); return Promise.resolve(); },
    hide: function (id) { saveBarVisible[id] = false; sendSaveBar(id); return Promise.resolve(); },
    toggle: function (id) { saveBarVisible[id] = !saveBarVisible[id]; sendSaveBar(id); return Promise.resolve(); },
    leaveConfirmation: function () { return Promise.resolve(); },
  };

  var modal = {
    show: function (id) { var el = document.getElementById(id); if (el && el.show) return el.show(); return Promise.resolve(); },
    hide: function (id) { var el = document.getElementById(id); if (el && el.hide) return el.hide(); return Promise.resolve(); },
    toggle: function (id) { var el = document.getElementById(id); if (el && el.toggle) return el.toggle(); return Promise.resolve(); },
  };

  function defineElement(name, setup) {
    if (!window.customElements || window.customElements.get(name)) return;
    window.customElements.define(name, setup());
  }
  function watch(element, send) {
    var observer = new MutationObserver(function () { send(); });
    observer.observe(element, { childList: true, subtree: true, characterData: true, attributes: true });
    return observer;
  }
  defineElement("ui-nav-menu", function () {
    return class extends HTMLElement {
      connectedCallback() {
        this.style.display = "none";
        this._observer = watch(this, sendNav);
        sendNav();
      }
      disconnectedCallback() {
        if (this._observer) this._observer.disconnect();
        sendNav();
      }
    };
  });
  defineElement("ui-title-bar", function () {
    return class extends HTMLElement {
      static get observedAttributes() { return ["title"]; }
      connectedCallback() {
        this.style.display = "none";
        this._observer = watch(this, sendTitleBar);
        sendTitleBar();
      }
      attributeChangedCallback() { sendTitleBar(); }
      disconnectedCallback() {
        if (this._observer) this._observer.disconnect();
        sendTitleBar();
      }
    };
  });
  defineElement("ui-save-bar", function () {
    return class extends HTMLElement {
      connectedCallback() { this.style.display = "none"; }
      show() { return saveBar.show(this.id); }
      hide() { return saveBar.hide(this.id); }
      toggle() { return saveBar.toggle(this.id); }
      get showing() { return !!saveBarVisible[this.id]; }
    };
  });
  defineElement("ui-modal", function () {
    return class extends HTMLElement {
      connectedCallback() { if (!this._open) this.style.display = "none"; }
      show() {
        this._open = true;
        this.setAttribute("open", "");
        this.style.cssText = "display:block;position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.45);padding:48px 0;overflow:auto";
        this.dispatchEvent(new Event("show"));
        return Promise.resolve();
      }
      hide() {
        this._open = false;
        this.removeAttribute("open");
        this.style.cssText = "display:none";
        this.dispatchEvent(new Event("hide"));
        return Promise.resolve();
      }
      toggle() { return this._open ? this.hide() : this.show(); }
      get open() { return !!this._open; }
    };
  });

  // ---- location sync and bounce page -----------------------------------------------------------
  function sendLocation() {
    post("location", { pathname: window.location.pathname, search: window.location.search, hash: window.location.hash });
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function () {
      var result = original.apply(this, arguments);
      sendLocation();
      return result;
    };
  });
  window.addEventListener("popstate", sendLocation);

  // ---- authenticated fetch ---------------------------------------------------------------------
  var originalFetch = window.fetch.bind(window);
  function appliesTo(url) {
    if (config.disabledFeatures.indexOf("fetch") !== -1) return false;
    if (url.origin === window.location.origin) return true;
    return config.appOrigins.indexOf(url.origin) !== -1;
  }
  window.fetch = function (input, init) {
    var req = input instanceof Request ? new Request(input, init) : new Request(new URL(String(input), window.location.href).toString(), init);
    var url = new URL(req.url);
    if (!appliesTo(url) || req.headers.has("Authorization")) return originalFetch(input, init);
    var retry = req.clone();
    function send(requestToSend, token) {
      var headers = new Headers(requestToSend.headers);
      headers.set("Authorization", "Bearer " + token);
      return originalFetch(new Request(requestToSend, { headers: headers }));
    }
    return idToken().then(function (token) {
      return send(req, token).then(function (response) {
        // A 401 naming a URL (shopify-app-remix's redirect(url, { target: "_top" }) for fetches, e.g.
        // billing's confirmation page) or the older "Reauthorize: 1" flag: the top window goes there.
        var target = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
        if (target && (response.status === 401 || response.headers.get("X-Shopify-API-Request-Failure-Reauthorize") === "1")) {
          redirectTop(target);
          return response;
        }
        if (response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
          cachedToken = null;
          return idToken().then(function (fresh) { return send(retry, fresh); });
        }
        return response;
      });
    });
  };

  function redirectTop(target) {
    if (embedded) post("redirect", { url: target });
    else window.location.assign(target);
  }

  var shopify = {
    __simulator: true,
    config: config,
    origin: simOrigin,
    ready: Promise.resolve(),
    environment: { embedded: embedded, mobile: false, pos: false },
    idToken: idToken,
    toast: toast,
    resourcePicker: resourcePicker,
    loading: function (isLoading) { post("loading", { on: isLoading !== false }); },
    user: function () { return request("user", {}); },
    scopes: {
      query: function () { return request("scopes", {}); },
      request: function () { return Promise.resolve({ result: "declined-all", detail: { granted: [], declined: [] } }); },
      revoke: function () { return Promise.resolve({ detail: { granted: [], declined: [] } }); },
    },
    modal: modal,
    saveBar: saveBar,
    setSignals: function () {},
  };
  window.shopify = shopify;

  // The bounce page (/auth/session-token?shopify-reload=...) asks for a session token and reloads.
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload, window.location.href);
      target.searchParams.set("id_token", token);
      window.location.replace(target.toString());
    });
  }

  function announce() {
    post("ready", { apiKey: config.apiKey, shop: config.shop });
    sendLocation();
    sendNav();
    sendTitleBar();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", announce);
  else announce();
})();
