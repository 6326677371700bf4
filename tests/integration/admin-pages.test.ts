// Admin pages rendered as Remix renders a document request (loader, action, component), to see
// that a refused form reaches the merchant: a banner with the reason, the field's own error.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";

import Settings, { action, loader } from "~/routes/app.settings._index";

import { adminRequest, installShop } from "../helpers/admin";

const DOMAIN = "admin-pages.myshopify.com";

// Remix's and react-router's loader argument types differ only in `context`'s type.
const asRouterFn = (fn: typeof loader | typeof action) => (args: { request: Request; params: Record<string, string | undefined> }) => fn({ ...args, context: {} });
const handler = createStaticHandler([{ id: "settings", path: "/app/settings", loader: asRouterFn(loader), action: asRouterFn(action), Component: Settings }]);

async function render(fields: Record<string, string>) {
  const context = await handler.query(await adminRequest(DOMAIN, "/app/settings", { method: "POST", body: new URLSearchParams(fields) }));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return { status: context.statusCode, html: renderToString(createElement(AppProvider, { i18n: en }, createElement(StaticRouterProvider, { router, context }))) };
}

describe("Settings page", () => {
  it("GIVEN an unknown intent THEN the page shows why in a banner", async () => {
    await installShop(DOMAIN);
    const { status, html } = await render({ intent: "explode" });
    expect(status).toBe(400);
    expect(html).toContain("Unknown action. Reload the page and try again.");
    expect(html).toContain("Polaris-Banner");
  });

  it("GIVEN a key the domain refuses THEN the banner and the key field both say what to fix", async () => {
    const { status, html } = await render({ intent: "save-key", apiKey: "not a key" });
    expect(status).toBe(422);
    expect(html).toContain("doesn&#x27;t look like a Gemini API key");
    expect(html).toContain("Invalid format"); // the field's own error
  });
});
