/* global window, document, Request, Headers, HTMLElement, MutationObserver, Event, customElements, setTimeout */
// A stand-in of Shopify's admin UI extension host (served at /_sim/extension-host.js), loaded in the
// modal's sandboxed iframe before the app's built extension bundle. ADR 0081. It provides:
//   - the `shopify` global of an admin action target: extension.target, data.selected, close(),
//     auth.idToken(), i18n (minimal), toast, storage (in memory), extend(target, fn);
//     query / resourcePicker / picker / intents reject: not simulated;
//   - `fetch` as Shopify's host does it: a relative URL resolves against the app's URL, and a
//     request to the app's origin gets `Authorization: Bearer <fresh ID token>` (minted by the simulator);
//   - minimal custom elements for the Polaris web components (`s-*`) Lightbox's extensions use,
//     with real buttons, links, selects and radios in shadow DOM, so Preact renders DOM a test (or a
//     person) can click. Looks and behaviour are approximations of Polaris, not Polaris.
// It is a stand-in of the host, not of the extension: the bundle runs unchanged. Unlike Shopify's
// host it runs the bundle in the iframe's window (Shopify: a web worker + remote DOM), so DOM access
// that Shopify would not allow is not caught here.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("extension-config").textContent);
  var appOrigin = new URL(config.appUrl).origin;
  var simOrigin = new URL(document.currentScript.src).origin;
  var state = (window.__lightboxExtensionHost = { config: config, errors: [], requests: [], undefinedTags: [] });

  function tell(type, payload) {
    var message = { source: "lightbox-sim-extension", type: type };
    for (var key in payload || {}) message[key] = payload[key];
    window.parent.postMessage(message, "*");
  }
  function fail(error) {
    var text = error && error.stack ? error.stack : String(error);
    state.errors.push(text);
    console.error("[extension host]", text);
    var box = document.createElement("pre");
    box.setAttribute("role", "alert");
    box.style.cssText = "color:#8e1f0b;white-space:pre-wrap;font:12px monospace;padding:12px";
    box.textContent = "The extension failed: " + text;
    (document.body || document.documentElement).appendChild(box);
  }
  window.addEventListener("error", function (event) { fail(event.error || event.message); });
  window.addEventListener("unhandledrejection", function (event) { fail(event.reason); });

  // ---- ID tokens and fetch -------------------------------------------------------------------------
  var originalFetch = window.fetch.bind(window);
  function idToken() {
    return originalFetch(simOrigin + "/_sim/id-token?shop=" + encodeURIComponent(config.shop)).then(function (response) {
      if (!response.ok) throw new Error("The simulator could not mint an ID token (" + response.status + ")");
      return response.json().then(function (body) { return body.idToken; });
    });
  }
  window.fetch = function (input, init) {
    var source = input instanceof Request ? input.url : String(input);
    var url = new URL(source, config.appUrl + "/");
    var request = new Request(url.toString(), input instanceof Request ? new Request(input, init) : init);
    state.requests.push({ method: request.method, url: url.toString() });
    if (url.origin !== appOrigin || request.headers.has("Authorization")) return originalFetch(request);
    return idToken().then(function (token) {
      var headers = new Headers(request.headers);
      headers.set("Authorization", "Bearer " + token);
      return originalFetch(new Request(request, { headers: headers }));
    });
  };

  // ---- the shopify global --------------------------------------------------------------------------
  var registered = null;
  function notSimulated(name) {
    return function () { return Promise.reject(new Error("shopify." + name + " is not simulated by the local Shopify")); };
  }
  var memory = new Map();
  window.shopify = {
    extension: { target: config.target, apiVersion: config.apiVersion },
    data: { selected: config.selected },
    close: function () { tell("close"); },
    auth: { idToken: idToken },
    i18n: {
      translate: function (key) { return key; },
      formatNumber: function (value, options) { return new Intl.NumberFormat(config.locale, options).format(value); },
      formatCurrency: function (value, options) { return new Intl.NumberFormat(config.locale, Object.assign({ style: "currency", currency: "USD" }, options)).format(value); },
      formatDate: function (value, options) { return new Intl.DateTimeFormat(config.locale, options).format(value); },
    },
    toast: {
      show: function (message, options) {
        tell("toast", { message: String(message), isError: !!(options && options.isError), duration: options && options.duration });
        return Promise.resolve();
      },
    },
    storage: {
      get: function (key) { return Promise.resolve(memory.get(key)); },
      set: function (key, value) { memory.set(key, value); return Promise.resolve(); },
      delete: function (key) { memory.delete(key); return Promise.resolve(true); },
      clear: function () { memory.clear(); return Promise.resolve(); },
      entries: function () { return Promise.resolve(Array.from(memory.entries())); },
    },
    query: notSimulated("query"),
    resourcePicker: notSimulated("resourcePicker"),
    picker: notSimulated("picker"),
    intents: { request: notSimulated("intents.request") },
    extend: function (target, callback) {
      if (target !== config.target) {
        fail(new Error("The bundle registered " + target + " but the admin opened " + config.target));
        return;
      }
      registered = callback;
    },
  };

  function run() {
    if (!registered) return fail(new Error("The extension bundle did not call shopify.extend(" + JSON.stringify(config.target) + ", ...)"));
    Promise.resolve()
      .then(function () { return registered(); })
      .catch(fail);
    setTimeout(function () {
      var seen = {};
      Array.prototype.forEach.call(document.querySelectorAll("*"), function (element) {
        var tag = element.localName;
        if (tag.indexOf("s-") === 0 && !customElements.get(tag) && !seen[tag]) {
          seen[tag] = true;
          state.undefinedTags.push(tag);
          console.warn("[extension host] <" + tag + "> is not simulated: its children render as plain inline content");
        }
      });
    }, 500);
  }
  document.addEventListener("DOMContentLoaded", run);

  // ---- navigation: links and buttons with href -----------------------------------------------------
  function navigate(href) {
    tell("navigate", { href: String(href) });
  }

  // ---- Polaris web components (minimal) ------------------------------------------------------------
  var BASE_CSS =
    ":host{box-sizing:border-box;font:13px/1.45 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;color:#303030}" +
    ":host([hidden]){display:none!important}";
  var GAPS = { none: "0", "small-500": "2px", "small-400": "4px", "small-300": "6px", "small-200": "8px", "small-100": "10px", small: "12px", base: "16px", large: "20px", "large-100": "24px", "large-200": "28px" };

  function define(tag, props, render, setup) {
    if (customElements.get(tag)) return;
    var Element = class extends HTMLElement {
      constructor() {
        super();
        this._props = {};
        this._root = this.attachShadow({ mode: "open" });
        if (setup) setup.call(this);
      }
      static get observedAttributes() {
        return props.map(function (name) { return name.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); }); });
      }
      connectedCallback() { this._render(); }
      attributeChangedCallback() { if (this.isConnected) this._render(); }
      _prop(name) {
        if (name in this._props) return this._props[name];
        var attribute = name.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); });
        return this.hasAttribute(attribute) ? this.getAttribute(attribute) : undefined;
      }
      _flag(name) {
        // A property set by Preact: its truthiness ("" is what Preact sets when a prop is removed).
        if (name in this._props) {
          var value = this._props[name];
          return value === true || (typeof value === "string" && value !== "" && value !== "false");
        }
        // An attribute: present means true, as for HTML boolean attributes.
        var attribute = name.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); });
        return this.hasAttribute(attribute) && this.getAttribute(attribute) !== "false";
      }
      _render() { render.call(this); }
    };
    props.forEach(function (name) {
      Object.defineProperty(Element.prototype, name, {
        configurable: true,
        get: function () { return this._prop(name); },
        set: function (value) {
          this._props[name] = value;
          if (this.isConnected) this._render();
        },
      });
    });
    customElements.define(tag, Element);
  }
  function html(element, css, markup) {
    element._root.innerHTML = "<style>" + BASE_CSS + css + "</style>" + markup;
  }
  function escape(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // <s-admin-action heading loading>: the modal's body; primary-action / secondary-actions slots
  // become its footer; the heading goes to the admin's modal title.
  define("s-admin-action", ["heading", "loading"], function () {
    var loading = this._flag("loading");
    tell("heading", { heading: this._prop("heading") || config.name });
    html(
      this,
      ":host{display:flex;flex-direction:column;min-height:100vh}.body{flex:1;padding:16px}" +
        ".loading{padding:16px;color:#616161}footer{display:flex;justify-content:flex-end;gap:8px;padding:12px 16px;border-top:1px solid #e3e3e3;background:#fafafa}",
      (loading ? '<div class="loading" role="progressbar" aria-label="Loading">Loading…</div>' : "") +
        '<div class="body"' + (loading ? " hidden" : "") + "><slot></slot></div>" +
        '<footer><slot name="secondary-actions"></slot><slot name="primary-action"></slot></footer>',
    );
  });

  define("s-stack", ["direction", "gap", "alignItems", "justifyContent"], function () {
    var inline = this._prop("direction") === "inline";
    var gap = GAPS[String(this._prop("gap") || "none").split(" ")[0]] || "0";
    html(this, ":host{display:flex;flex-direction:" + (inline ? "row;flex-wrap:wrap;align-items:center" : "column") + ";gap:" + gap + "}", "<slot></slot>");
  });
  define("s-box", ["padding"], function () {
    html(this, ":host{display:block;padding:" + (GAPS[this._prop("padding")] || "0") + "}", "<slot></slot>");
  });
  define("s-section", ["heading"], function () {
    var heading = this._prop("heading");
    html(this, ":host{display:block;border:1px solid #e3e3e3;border-radius:10px;padding:12px 14px;background:#fff}h3{margin:0 0 8px;font-size:14px}", (heading ? "<h3>" + escape(heading) + "</h3>" : "") + "<slot></slot>");
  });
  define("s-heading", [], function () {
    html(this, ":host{display:block}h2{margin:0;font-size:14px}", "<h2><slot></slot></h2>");
  });
  define("s-text", ["tone", "color", "type"], function () {
    var color = this._prop("tone") === "critical" ? "#8e1f0b" : this._prop("color") === "subdued" ? "#616161" : "inherit";
    html(this, ":host{display:inline}span{color:" + color + ";font-weight:" + (this._prop("type") === "strong" ? "600" : "inherit") + "}", "<span><slot></slot></span>");
  });
  define("s-paragraph", ["tone", "color"], function () {
    html(this, ":host{display:block}p{margin:0;color:" + (this._prop("color") === "subdued" ? "#616161" : "inherit") + "}", "<p><slot></slot></p>");
  });
  define("s-divider", [], function () {
    html(this, ":host{display:block}hr{border:0;border-top:1px solid #e3e3e3;margin:4px 0}", "<hr>");
  });
  define("s-spinner", ["accessibilityLabel"], function () {
    html(this, ":host{display:inline-block}", '<span role="progressbar" aria-label="' + escape(this._prop("accessibilityLabel") || "Loading") + '">…</span>');
  });
  define("s-badge", ["tone"], function () {
    html(this, ":host{display:inline-block}span{border-radius:8px;padding:1px 8px;background:#e3e3e3;font-size:12px}", "<span><slot></slot></span>");
  });
  define("s-thumbnail", ["src", "alt", "size"], function () {
    html(this, ":host{display:inline-block}img{width:40px;height:40px;border-radius:6px;object-fit:cover;border:1px solid #e3e3e3}", '<img src="' + escape(this._prop("src")) + '" alt="' + escape(this._prop("alt")) + '">');
  });
  define("s-unordered-list", [], function () {
    html(this, ":host{display:block}ul{margin:0;padding-left:18px}", "<ul><slot></slot></ul>");
  });
  define("s-list-item", [], function () {
    html(this, ":host{display:list-item}", "<slot></slot>");
  });

  var TONES = {
    critical: ["#fee9e8", "#8e1f0b", "alert"],
    warning: ["#fff1e3", "#5e4200", "status"],
    success: ["#cdfee1", "#0c5132", "status"],
    info: ["#eaf4ff", "#00527c", "status"],
    auto: ["#f1f1f1", "#303030", "status"],
  };
  define("s-banner", ["heading", "tone"], function () {
    var tone = TONES[this._prop("tone")] || TONES.info;
    var heading = this._prop("heading");
    html(
      this,
      ":host{display:block}div{background:" + tone[0] + ";color:" + tone[1] + ";border-radius:10px;padding:10px 12px}strong{display:block;margin-bottom:2px}",
      '<div role="' + tone[2] + '">' + (heading ? "<strong>" + escape(heading) + "</strong>" : "") + "<slot></slot></div>",
    );
  });

  // <s-button variant disabled loading href tone>: a real <button>. With href it navigates after
  // the click handlers ran; disabled or loading, clicks do nothing.
  define(
    "s-button",
    ["variant", "disabled", "loading", "href", "tone", "accessibilityLabel"],
    function () {
      var blocked = this._flag("disabled") || this._flag("loading");
      var primary = this._prop("variant") === "primary";
      var label = this._prop("accessibilityLabel");
      html(
        this,
        ":host{display:inline-block}button{font:inherit;border-radius:8px;padding:6px 12px;cursor:pointer;border:1px solid " + (primary ? "#303030" : "#c9c9c9") +
          ";background:" + (primary ? "#303030" : "#fff") + ";color:" + (primary ? "#fff" : "#303030") + "}button:disabled{opacity:.5;cursor:default}",
        '<button type="button" part="button"' + (blocked ? " disabled" : "") + (this._flag("loading") ? ' aria-busy="true"' : "") +
          (label ? ' aria-label="' + escape(label) + '"' : "") + "><slot></slot>" + (this._flag("loading") ? " …" : "") + "</button>",
      );
    },
    function () {
      this.addEventListener("click", (event) => {
        if (this._flag("disabled") || this._flag("loading")) {
          event.stopImmediatePropagation();
          return;
        }
        var href = this._prop("href");
        if (href) setTimeout(function () { navigate(href); }, 0);
      });
    },
  );

  // <s-link href>: a real <a>; `app:` and `shopify:admin/` links navigate the admin.
  define(
    "s-link",
    ["href", "tone", "target"],
    function () {
      html(this, ":host{display:inline}a{color:#005bd3;text-decoration:underline;cursor:pointer}", '<a href="' + escape(this._prop("href") || "#") + '" part="link"><slot></slot></a>');
    },
    function () {
      this.addEventListener("click", (event) => {
        var href = this._prop("href");
        event.preventDefault();
        if (href) setTimeout(function () { navigate(href); }, 0);
      });
    },
  );

  // Options and choices carry data for their parent; they show nothing themselves.
  define("s-option", ["value", "disabled", "selected", "defaultSelected"], function () {
    html(this, ":host{display:none}", "");
  });
  define("s-choice", ["value", "disabled", "selected", "defaultSelected"], function () {
    html(this, ":host{display:none}", "");
  });
  function watchChildren(element) {
    var observer = new MutationObserver(function () { element._render(); });
    observer.observe(element, { childList: true, subtree: true, characterData: true, attributes: true });
  }
  function emit(element) {
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // <s-select label value>: a labelled native <select> built from its <s-option> children.
  define(
    "s-select",
    ["label", "value", "disabled", "name", "details", "error"],
    function () {
      var value = this._prop("value");
      var options = Array.prototype.map.call(this.querySelectorAll("s-option"), function (option) {
        var optionValue = option.value !== undefined ? option.value : option.getAttribute("value");
        return '<option value="' + escape(optionValue) + '"' + (String(optionValue) === String(value) ? " selected" : "") + ">" + escape(option.textContent.trim()) + "</option>";
      });
      html(
        this,
        ":host{display:block}label{display:grid;gap:4px}select{font:inherit;padding:6px 8px;border:1px solid #8a8a8a;border-radius:8px;background:#fff}small{color:#8e1f0b}",
        "<label><span>" + escape(this._prop("label")) + "</span><select" + (this._flag("disabled") ? " disabled" : "") + ">" + options.join("") + "</select></label>" +
          (this._prop("error") ? "<small>" + escape(this._prop("error")) + "</small>" : ""),
      );
      var select = this._root.querySelector("select");
      if (value === undefined && select.value) this._props.value = select.value;
      select.addEventListener("change", () => {
        this._props.value = select.value;
        emit(this);
      });
    },
    function () { watchChildren(this); },
  );

  // <s-choice-list label name values multiple>: labelled radios (checkboxes when multiple) built
  // from its <s-choice> children; `values` is the array of chosen values.
  define(
    "s-choice-list",
    ["label", "name", "values", "multiple", "disabled", "error", "details"],
    function () {
      var multiple = this._flag("multiple");
      var values = this._prop("values") || [];
      var name = this._prop("name") || "choices";
      var choices = Array.prototype.map.call(this.querySelectorAll("s-choice"), function (choice, index) {
        var value = choice.value !== undefined ? choice.value : choice.getAttribute("value");
        return '<label><input type="' + (multiple ? "checkbox" : "radio") + '" name="' + escape(name) + '" value="' + escape(value) + '" data-index="' + index + '"' +
          (values.indexOf(value) !== -1 ? " checked" : "") + "> <span>" + escape(choice.textContent.trim()) + "</span></label>";
      });
      html(
        this,
        ":host{display:block}fieldset{border:0;margin:0;padding:0;display:grid;gap:6px}legend{padding:0;margin-bottom:4px}label{display:flex;gap:6px;align-items:center}",
        "<fieldset><legend>" + escape(this._prop("label")) + "</legend>" + choices.join("") + "</fieldset>",
      );
      Array.prototype.forEach.call(this._root.querySelectorAll("input"), (input) => {
        input.addEventListener("change", () => {
          var checked = Array.prototype.filter.call(this._root.querySelectorAll("input"), function (box) { return box.checked; });
          this._props.values = checked.map(function (box) { return box.value; });
          emit(this);
        });
      });
    },
    function () { watchChildren(this); },
  );
})();
