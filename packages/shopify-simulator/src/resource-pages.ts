// The simulated admin's Products pages, where an app's admin UI extensions appear:
//   GET /store/<shop>/products        the products list: checkboxes, and with products selected a
//                                     "More actions" menu with the app's selection actions
//                                     (admin.product-index.selection-action.render)
//   GET /store/<shop>/products/<id>   a product's page: its photos and a "More actions" menu with
//                                     the app's product actions (admin.product-details.action.render)
// Choosing an action opens a modal whose iframe is the extension host (/_sim/extension-host), a
// stand-in of Shopify's, running the app's built bundle (ADR 0081).
import { adminShell, escapeHtml } from "./admin-page.ts";
import type { SimContext } from "./context.ts";
import type { AppExtension } from "./extensions.ts";
import { gid } from "./state.ts";
import type { SimProduct, SimShop } from "./state.ts";

const STYLES = `
  .page { padding: 20px 32px; overflow: auto; }
  .page-header { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 16px; }
  .page-header h1 { font-size: 20px; margin: 0; }
  .page-header .back { color: #616161; text-decoration: none; margin-right: 8px; }
  .card { background: #fff; border-radius: 12px; box-shadow: 0 1px 0 rgba(0,0,0,.07), 0 0 0 1px rgba(0,0,0,.05); overflow: visible; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid #ebebeb; }
  th { font-weight: 550; color: #616161; background: #f7f7f7; }
  td.title { display: flex; align-items: center; gap: 12px; }
  td.title img, td.title .no-photo { width: 40px; height: 40px; border-radius: 8px; object-fit: cover; background: #f1f1f1; border: 1px solid #e3e3e3; }
  td a { color: #303030; font-weight: 550; text-decoration: none; }
  .status { border-radius: 8px; padding: 2px 8px; font-size: 12px; background: #e3e3e3; }
  .status--active { background: #cdfee1; color: #0c5132; }
  .status--draft { background: #e0f0ff; color: #00527c; }
  .bulk-bar { display: flex; align-items: center; gap: 12px; padding: 8px 12px; border-bottom: 1px solid #ebebeb; background: #f7f7f7; border-radius: 12px 12px 0 0; }
  .bulk-bar[hidden] { display: none; }
  .menu { position: relative; }
  .menu [role=menu] { position: absolute; right: 0; top: calc(100% + 4px); background: #fff; border-radius: 10px; box-shadow: 0 8px 24px rgba(0,0,0,.2); padding: 6px; min-width: 260px; z-index: 5; }
  .menu [role=menu][hidden] { display: none; }
  .bulk-bar .menu [role=menu] { left: 0; right: auto; }
  .menu [role=menu] .group { padding: 6px 10px 2px; color: #616161; font-size: 12px; }
  .menu [role=menuitem] { display: block; width: 100%; text-align: left; border: 0; padding: 6px 10px; border-radius: 6px; }
  .menu [role=menuitem]:hover { background: #f1f1f1; }
  .menu .empty { padding: 6px 10px; color: #8a8a8a; }
  .gallery { display: flex; gap: 12px; flex-wrap: wrap; padding: 16px; }
  .gallery figure { margin: 0; width: 160px; }
  .gallery img { width: 160px; height: 160px; object-fit: cover; border-radius: 8px; border: 1px solid #e3e3e3; background: #f7f7f7; }
  .gallery figcaption { font-size: 12px; color: #616161; }
  .facts { padding: 0 16px 16px; color: #616161; }
  dialog#extension-modal { width: min(620px, 94vw); border: 0; border-radius: 12px; padding: 0; box-shadow: 0 20px 40px rgba(0,0,0,.35); }
  dialog#extension-modal::backdrop { background: rgba(0,0,0,.45); }
  #extension-modal header { background: #f7f7f7; color: #303030; grid-column: auto; display: flex; justify-content: space-between; align-items: center; padding: 12px 16px; border-bottom: 1px solid #e3e3e3; height: auto; }
  #extension-modal h2 { margin: 0; font-size: 15px; }
  #extension-modal header button { border: 0; background: transparent; font-size: 18px; }
  #extension-modal iframe { display: block; width: 100%; height: 560px; border: 0; }`;

const MODAL = `<dialog id="extension-modal" data-testid="extension-modal" aria-labelledby="extension-modal-title">
  <header><h2 id="extension-modal-title"></h2><button type="button" class="modal-close" aria-label="Close">×</button></header>
  <iframe id="extension-frame" title="App extension" sandbox="allow-scripts"></iframe>
</dialog>`;

function actionsMenu(extensions: AppExtension[], id: string, label: string): string {
  const items = extensions.length
    ? `<div class="group">Apps</div>${extensions
        .map((extension) => `<button type="button" role="menuitem" data-extension="${escapeHtml(extension.handle)}">${escapeHtml(extension.name)}</button>`)
        .join("")}`
    : `<div class="empty">No app actions</div>`;
  return `<div class="menu"><button type="button" id="${id}" aria-haspopup="menu" aria-expanded="false">${escapeHtml(label)}</button><div role="menu" hidden>${items}</div></div>`;
}

function thumbnail(ctx: SimContext, shop: SimShop, product: SimProduct, width: number): string | null {
  const media = product.mediaIds.map((id) => shop.media.get(id)).find((item) => item?.status === "READY" && item.image);
  return media?.image ? `${ctx.publicUrl()}${media.image.path}?width=${width}` : null;
}

const forTarget = (ctx: SimContext, target: string) => ctx.options.extensions.filter((extension) => extension.target === target);

function extensionConfig(ctx: SimContext, shop: SimShop, target: string) {
  return {
    appBasePath: `/store/${shop.handle}/apps/${ctx.options.appHandle}`,
    extensions: forTarget(ctx, target).map(({ handle, name, target: t }) => ({ handle, name, target: t })),
  };
}

export function productsPageHtml(ctx: SimContext, shop: SimShop): string {
  const target = "admin.product-index.selection-action.render";
  const rows = [...shop.products.values()]
    .map((product) => {
      const image = thumbnail(ctx, shop, product, 80);
      const status = product.status.toLowerCase();
      return `<tr data-product-id="${gid("Product", product.id)}">
  <td><input type="checkbox" class="select-product" aria-label="Select ${escapeHtml(product.title)}" value="${gid("Product", product.id)}"></td>
  <td class="title">${image ? `<img src="${escapeHtml(image)}" alt="">` : `<span class="no-photo"></span>`}<a href="/store/${escapeHtml(shop.handle)}/products/${product.id}">${escapeHtml(product.title)}</a></td>
  <td><span class="status status--${status}">${status.charAt(0).toUpperCase()}${status.slice(1)}</span></td>
  <td>${escapeHtml(product.productType)}</td>
  <td>${escapeHtml(product.vendor)}</td>
</tr>`;
    })
    .join("\n");
  return adminShell(ctx, shop, {
    title: "Products",
    active: "products",
    styles: STYLES,
    config: { page: "products", target, ...extensionConfig(ctx, shop, target) },
    main: `<div class="page">
  <div class="page-header"><h1>Products</h1></div>
  <div class="card">
    <div class="bulk-bar" hidden><span id="selected-count" data-testid="selected-count"></span>${actionsMenu(forTarget(ctx, target), "bulk-more-actions", "More actions")}</div>
    <table aria-label="Products">
      <thead><tr><th><input type="checkbox" id="select-all" aria-label="Select all products"></th><th>Product</th><th>Status</th><th>Type</th><th>Vendor</th></tr></thead>
      <tbody>
${rows}
      </tbody>
    </table>
  </div>
</div>`,
    after: MODAL,
    scripts: ["/_sim/admin-resources.js"],
  });
}

export function productPageHtml(ctx: SimContext, shop: SimShop, product: SimProduct): string {
  const target = "admin.product-details.action.render";
  const media = product.mediaIds
    .map((id) => shop.media.get(id))
    .filter((item) => item !== undefined)
    .map(
      (item) =>
        `<figure>${item.image && item.status === "READY" ? `<img src="${escapeHtml(`${ctx.publicUrl()}${item.image.path}?width=320`)}" alt="${escapeHtml(item.alt)}">` : `<img alt="${escapeHtml(item.alt)}">`}<figcaption>${escapeHtml(item.alt || "(no alt text)")} · ${item.status.toLowerCase()}</figcaption></figure>`,
    )
    .join("");
  return adminShell(ctx, shop, {
    title: product.title,
    active: "products",
    styles: STYLES,
    config: { page: "product", target, selected: [{ id: gid("Product", product.id) }], ...extensionConfig(ctx, shop, target) },
    main: `<div class="page">
  <div class="page-header"><h1><a class="back" href="/store/${escapeHtml(shop.handle)}/products" aria-label="Products">←</a>${escapeHtml(product.title)}</h1>${actionsMenu(forTarget(ctx, target), "product-more-actions", "More actions")}</div>
  <div class="card">
    <div class="gallery" data-testid="product-media">${media || '<p class="facts">No media</p>'}</div>
    <p class="facts">${escapeHtml(product.status.toLowerCase())} · ${escapeHtml(product.productType)} · ${escapeHtml(product.vendor)}</p>
  </div>
</div>`,
    after: MODAL,
    scripts: ["/_sim/admin-resources.js"],
  });
}

/**
 * The extension host document (the modal's iframe): the stand-in runtime first (the `shopify`
 * global, the `s-*` elements), then the app's bundle, which calls `shopify.extend(target, fn)`.
 */
export function extensionHostHtml(ctx: SimContext, shop: SimShop, extension: AppExtension, selected: Array<{ id: string }>): string {
  const config = {
    shop: shop.domain,
    appUrl: ctx.options.appUrl,
    apiVersion: extension.apiVersion,
    handle: extension.handle,
    name: extension.name,
    target: extension.target,
    selected,
    locale: "en",
  };
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  // Served from the simulator: the iframe is sandboxed (an opaque origin, like Shopify's worker),
  // so its requests to the app are cross-origin and go through CORS, as they do on Shopify.
  const base = ctx.publicUrl();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(extension.name)} (extension host, simulated)</title>
<style>body { margin: 0; background: #fff; }</style>
<script type="application/json" id="extension-config">${json}</script>
<script src="${escapeHtml(base)}/_sim/extension-host.js"></script>
<script src="${escapeHtml(base)}/_sim/extensions/${encodeURIComponent(extension.handle)}.js"></script>
</head>
<body></body>
</html>`;
}
