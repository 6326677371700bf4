// GET /store/<shop-handle>/apps/<app-handle>[/<path>]: a minimal Shopify admin (top bar, left
// nav with the app's menu, title bar, toasts, resource picker) embedding the app in an iframe at
// `${appUrl}${path || appHome}?embedded=1&hmac=...&host=...&id_token=...&locale=en&session=...
// &shop=...&timestamp=...`, signed the way Shopify signs admin launches.
import { createHash, createHmac } from "node:crypto";
import type { SimContext } from "./context.ts";
import { mintSessionToken } from "./jwt.ts";
import type { SimShop } from "./state.ts";

/** Shopify's query-string HMAC (hex HMAC-SHA256 of the sorted, URL-encoded params, minus hmac). */
export function adminQueryHmac(params: Record<string, string>, secret: string): string {
  const search = new URLSearchParams();
  for (const key of Object.keys(params).sort((a, b) => a.localeCompare(b))) {
    if (key === "hmac" || key === "signature") continue;
    search.append(key, params[key] ?? "");
  }
  return createHmac("sha256", secret).update(search.toString().replace(/\+/g, "%20")).digest("hex");
}

/** `host` as Shopify passes it: base64 of "admin.shopify.com/store/<handle>". */
export function hostParam(shop: SimShop): string {
  return Buffer.from(`admin.shopify.com/store/${shop.handle}`).toString("base64").replace(/=+$/, "");
}

/** The URL the admin puts in the app iframe. */
export function appLaunchUrl(ctx: SimContext, shop: SimShop, subpath = "", extra: Record<string, string> = {}): string {
  const { options } = ctx;
  if (!options.appUrl) throw new Error("The admin page needs the simulator's appUrl option");
  const idToken = mintSessionToken({ shop: shop.domain, apiKey: options.apiKey, apiSecret: options.apiSecret, userId: shop.ownerUserId, nowSeconds: Math.floor(ctx.now() / 1000) }).token;
  const params: Record<string, string> = {
    ...extra,
    embedded: "1",
    host: hostParam(shop),
    id_token: idToken,
    locale: "en",
    session: createHash("sha256").update(`${shop.domain}:${shop.ownerUserId}:${options.apiKey}`).digest("hex"),
    shop: shop.domain,
    timestamp: String(Math.floor(ctx.now() / 1000)),
  };
  params.hmac = adminQueryHmac(params, options.apiSecret);
  const path = subpath && subpath !== "/" ? `/${subpath.replace(/^\/+/, "")}` : options.appHome;
  const url = new URL(`${options.appUrl}${path}`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char);

/** The admin's own chrome (top bar, left nav), shared by the app page and the resource pages. */
export function adminShell(
  ctx: SimContext,
  shop: SimShop,
  page: { title: string; active: "app" | "products"; main: string; after?: string; styles?: string; scripts: string[]; config: Record<string, unknown> },
): string {
  const { options } = ctx;
  const base = `/store/${shop.handle}`;
  const configJson = JSON.stringify({ shop: shop.domain, shopName: shop.name, appName: options.appName, storeBasePath: base, ...page.config }).replace(/</g, "\\u003c");
  const generic = ["Home", "Orders", "Products", "Customers", "Content", "Analytics", "Marketing", "Discounts"];
  const navLink = (label: string) =>
    label === "Products"
      ? `<a href="${escapeHtml(base)}/products" data-testid="admin-nav-products"${page.active === "products" ? ' class="active" aria-current="page"' : ""}>Products</a>`
      : `<a href="#" aria-disabled="true">${label}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(page.title)} · ${escapeHtml(shop.name)} · Shopify (simulated)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 13px/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; background: #f1f1f1; color: #303030; height: 100vh; display: grid; grid-template-rows: 56px 1fr; grid-template-columns: 240px 1fr; }
  header { grid-column: 1 / 3; background: #1a1a1a; color: #e3e3e3; display: flex; align-items: center; gap: 16px; padding: 0 16px; }
  header .logo { font-weight: 700; color: #95bf47; }
  header .search { flex: 1; max-width: 480px; margin: 0 auto; background: #303030; border-radius: 8px; padding: 6px 12px; color: #8a8a8a; }
  header .shop { display: flex; align-items: center; gap: 8px; }
  header .avatar { width: 28px; height: 28px; border-radius: 8px; background: #95bf47; color: #1a1a1a; display: grid; place-items: center; font-weight: 700; }
  nav { background: #ebebeb; padding: 12px 8px; overflow: auto; }
  nav a { display: block; padding: 6px 10px; border-radius: 8px; color: #303030; text-decoration: none; font-weight: 550; }
  nav a:hover, nav a.active { background: #fafafa; }
  nav .section { margin: 16px 10px 4px; color: #616161; font-size: 12px; font-weight: 600; }
  nav .app { background: #fafafa; }
  nav .nav-sub { font-weight: 450; padding-left: 28px; }
  main { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
  button { font: inherit; border: 1px solid #c9c9c9; background: #fff; border-radius: 8px; padding: 5px 12px; cursor: pointer; }
  button.primary { background: #303030; color: #fff; border-color: #303030; }
  button:disabled { opacity: .5; cursor: default; }
  #toasts { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); display: flex; flex-direction: column; gap: 8px; z-index: 10; }
  .toast { background: #1a1a1a; color: #fff; border-radius: 10px; padding: 10px 14px; display: flex; gap: 12px; align-items: center; box-shadow: 0 4px 12px rgba(0,0,0,.25); }
  .toast--error { background: #8e1f0b; }
  .toast button { background: transparent; color: #fff; border: 0; padding: 0 4px; }
${page.styles ?? ""}
</style>
</head>
<body>
<header>
  <span class="logo">shopify</span><span>(simulated)</span>
  <div class="search">Search</div>
  <div class="shop"><span>${escapeHtml(shop.name)}</span><span class="avatar">${escapeHtml(shop.name.charAt(0))}</span></div>
</header>
<nav aria-label="Admin">
  ${generic.map(navLink).join("\n  ")}
  <div class="section">Apps</div>
  <a id="app-link" class="app" href="${escapeHtml(`${base}/apps/${options.appHandle}`)}" data-testid="app-nav-home">${escapeHtml(options.appName)}</a>
  <div id="app-nav"></div>
</nav>
<main>
${page.main}
</main>
<div id="toasts" aria-live="polite"></div>
${page.after ?? ""}
<script type="application/json" id="sim-config">${configJson}</script>
${page.scripts.map((src) => `<script src="${escapeHtml(src)}"></script>`).join("\n")}
</body>
</html>`;
}

export function adminPageHtml(ctx: SimContext, shop: SimShop, subpath: string, extra: Record<string, string>): string {
  const { options } = ctx;
  const src = appLaunchUrl(ctx, shop, subpath, extra);
  return adminShell(ctx, shop, {
    title: options.appName,
    active: "app",
    config: {
      appHome: options.appHome,
      adminBasePath: `/store/${shop.handle}/apps/${options.appHandle}`,
      scopes: shop.grantedScopes,
      user: { id: shop.ownerUserId, name: shop.ownerName, email: shop.email },
    },
    styles: `
  #title-bar { display: flex; align-items: center; justify-content: space-between; padding: 10px 20px; background: #f1f1f1; }
  #title-bar h1 { font-size: 16px; margin: 0; }
  #title-bar .actions { display: flex; gap: 8px; }
  #save-bar { display: flex; gap: 8px; align-items: center; justify-content: flex-end; padding: 8px 20px; background: #1a1a1a; color: #fff; }
  #save-bar[hidden] { display: none; }
  #save-bar span { margin-right: auto; }
  iframe { width: 100%; flex: 1 1 auto; min-height: 0; border: 0; background: #f1f1f1; }
  #loading { position: fixed; top: 56px; left: 0; right: 0; height: 3px; background: #95bf47; z-index: 10; }
  #loading[hidden] { display: none; }
  dialog#picker { width: min(640px, 92vw); border: 0; border-radius: 12px; padding: 0; box-shadow: 0 20px 40px rgba(0,0,0,.3); }
  #picker form { display: grid; grid-template-rows: auto auto 1fr auto; max-height: 80vh; }
  #picker h2 { margin: 0; padding: 14px 16px; font-size: 15px; border-bottom: 1px solid #e3e3e3; }
  #picker input[type=search] { margin: 12px 16px; padding: 6px 10px; border: 1px solid #c9c9c9; border-radius: 8px; font: inherit; }
  .picker-list { overflow: auto; border-top: 1px solid #e3e3e3; }
  .picker-row { display: grid; grid-template-columns: 24px 40px 1fr auto; gap: 12px; align-items: center; padding: 8px 16px; border-bottom: 1px solid #f1f1f1; cursor: pointer; }
  .picker-row img { width: 40px; height: 40px; object-fit: cover; border-radius: 6px; background: #f1f1f1; }
  .picker-row small { color: #616161; }
  #picker footer { display: flex; justify-content: flex-end; gap: 8px; padding: 12px 16px; border-top: 1px solid #e3e3e3; }`,
    main: `  <div id="title-bar"><h1>${escapeHtml(options.appName)}</h1><div class="actions"></div></div>
  <div id="save-bar" hidden></div>
  <iframe id="app-frame" name="app-iframe" title="${escapeHtml(options.appName)}" src="${escapeHtml(src)}" allow="clipboard-write"></iframe>`,
    after: `<div id="loading" hidden></div>
<dialog id="picker" data-testid="resource-picker">
  <form method="dialog">
    <h2>Add products</h2>
    <input type="search" placeholder="Search products" aria-label="Search products">
    <div class="picker-list"></div>
    <footer><button class="picker-cancel" value="cancel">Cancel</button><button class="picker-confirm primary" value="ok">Add</button></footer>
  </form>
</dialog>`,
    scripts: ["/_sim/admin.js"],
  });
}
