import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import ApiSettings, { action, loader } from "~/routes/app.settings.api";
import { TOKEN_PATTERN } from "~/tokens/format";

import { adminRequest, installShop, routeArgs, settle } from "../helpers/admin";
import { rawDump } from "../helpers/raw-dump";
import { call, shopWithToken } from "./support/api";

const domain = "settings.myshopify.com";

async function submit(fields: Record<string, string>, shop = domain) {
  const response = await settle(action(routeArgs(await adminRequest(shop, "/app/settings/api", { method: "POST", body: new URLSearchParams(fields) }))));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

async function page(query = "") {
  const response = await settle(loader(routeArgs(await adminRequest(domain, `/app/settings/api${query}`))));
  expect(response.status).toBe(200);
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { text, data: JSON.parse(text) as any };
}

describe("Settings > API", () => {
  it("creates a token and shows it exactly once; the page lists only its prefix", async () => {
    await installShop(domain);
    const created = await submit({ intent: "create", name: "Nightly sync", access: "write", expires: "30" });
    expect(created.status).toBe(200);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const { plaintext, token } = created.body.created;
    expect(plaintext).toMatch(TOKEN_PATTERN);
    expect(token).toMatchObject({ name: "Nightly sync", scopes: ["read", "write"], status: "active", prefix: plaintext.slice(0, 8) });
    const days = (Date.parse(token.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const listed = await page();
    expect(listed.text).not.toContain(plaintext);
    expect(listed.data.tokens.map((t: { prefix: string }) => t.prefix)).toEqual([plaintext.slice(0, 8)]);
    expect(listed.data.webhookSecret).toMatch(/^whsec_/);
    expect(await rawDump(db)).not.toContain(plaintext);

    // It works on the API right away.
    expect((await call("/api/v1/me", { token: plaintext })).body.token.name).toBe("Nightly sync");
  });

  it("GIVEN the merchant rotates the webhook secret THEN the page shows a new one and says until when the old one still signs", async () => {
    const before = (await page()).data;
    const rotated = await submit({ intent: "rotate-webhook-secret" });
    expect(rotated.status).toBe(200);
    const until = Date.parse(rotated.body.rotated.previousValidUntil);
    expect(until - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    const after = (await page()).data;
    expect(after.webhookSecret).toMatch(/^whsec_/);
    expect(after.webhookSecret).not.toBe(before.webhookSecret);
    expect(after.previousWebhookSecretValidUntil).toBe(rotated.body.rotated.previousValidUntil);
  });

  it("says what to fix when the form is incomplete", async () => {
    const noName = await submit({ intent: "create", name: "", access: "read", expires: "7" });
    expect(noName.status).toBe(422);
    expect(noName.body.error.fieldErrors.name).toMatch(/Give the token a name/);
  });

  it("GIVEN a form asking for a token that never expires THEN it is refused, saying every token expires, and nothing is created", async () => {
    const before = await db.apiToken.count();
    const never = await submit({ intent: "create", name: "Forever", access: "read", expires: "never" });
    expect(never.status).toBe(400);
    expect(never.body.error.fieldErrors.expires).toMatch(/Tokens cannot be permanent/);
    expect(await db.apiToken.count()).toBe(before);
  });

  it("revokes with immediate effect; another shop's token cannot be revoked from here", async () => {
    const created = await submit({ intent: "create", name: "To revoke", access: "read", expires: "7" });
    const { plaintext, token } = created.body.created;
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);
    const revoked = await submit({ intent: "revoke", tokenId: token.id });
    expect(revoked.body).toEqual({ revoked: token.id });
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(401);
    const listed = await page();
    expect(listed.data.tokens.find((t: { id: string }) => t.id === token.id).status).toBe("revoked");

    const other = await shopWithToken("settings-other.myshopify.com");
    const foreign = await submit({ intent: "revoke", tokenId: other.token.id });
    expect(foreign.status).toBe(404);
    expect((await call("/api/v1/me", { token: other.plaintext })).status).toBe(200);

    // A revoked token can then be deleted from the list; an active one must be revoked first.
    const active = (await submit({ intent: "create", name: "Still active", access: "read", expires: "7" })).body.created.token;
    expect((await submit({ intent: "delete", tokenId: active.id })).status).toBe(409);
    expect((await submit({ intent: "delete", tokenId: token.id })).body).toEqual({ deleted: token.id });
    expect(await db.apiToken.count({ where: { id: token.id } })).toBe(0);
    expect((await submit({ intent: "delete", tokenId: other.token.id })).status).toBe(404);
  });

  it("shows the request log, filterable by status class and endpoint, with the token's name", async () => {
    const created = await submit({ intent: "create", name: "Logger", access: "read", expires: "90" });
    const { plaintext } = created.body.created;
    await call("/api/v1/me", { token: plaintext, headers: { "User-Agent": "lightbox-test/1.0", "X-Forwarded-For": "203.0.113.9" } });
    await call("/api/v1/assets/does-not-exist", { token: plaintext });
    await call("/api/v1/assets?kind=nope", { token: plaintext });

    const all = await page();
    expect(all.data.routes).toEqual(expect.arrayContaining(["/api/v1/me", "/api/v1/assets/:id", "/api/v1/assets"]));
    const mine = all.data.logs.filter((l: { tokenName: string }) => l.tokenName === "Logger");
    expect(mine).toHaveLength(3);
    expect(mine.find((l: { route: string }) => l.route === "/api/v1/me")).toMatchObject({ status: 200, ip: "203.0.113.9", userAgent: "lightbox-test/1.0" });

    const errors = await page("?status=4xx");
    expect(errors.data.logs.length).toBeGreaterThanOrEqual(2);
    expect(errors.data.logs.every((l: { status: number }) => l.status >= 400 && l.status < 500)).toBe(true);
    const byRoute = await page(`?route=${encodeURIComponent("/api/v1/assets/:id")}`);
    expect(byRoute.data.logs.every((l: { route: string }) => l.route === "/api/v1/assets/:id")).toBe(true);
    expect(byRoute.data.logs.length).toBeGreaterThanOrEqual(1);
    // Another shop's requests never show up here.
    expect(all.data.logs.every((l: { tokenName: string | null }) => l.tokenName !== "CI script")).toBe(true);
  });

  it("renders the page server-side: the new token in a copy-once banner, the token table and the request log", async () => {
    // The real loader and action, behind react-router's static handler (what Remix runs for a document request).
    // Remix's and react-router's loader argument types differ only in `context`'s type.
    const asRouterFn = (fn: typeof loader | typeof action) => (args: { request: Request; params: Record<string, string | undefined> }) => fn({ ...args, context: {} });
    const handler = createStaticHandler([
      { id: "settings", path: "/app/settings/api", loader: asRouterFn(loader), action: asRouterFn(action), Component: ApiSettings },
    ]);
    const render = async (request: Request) => {
      const context = await handler.query(request);
      if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
      const router = createStaticRouter(handler.dataRoutes, context);
      return renderToString(createElement(AppProvider, { i18n: en }, createElement(StaticRouterProvider, { router, context })));
    };
    const body = new URLSearchParams({ intent: "create", name: "Rendered token", access: "read", expires: "7" });
    const html = await render(await adminRequest(domain, "/app/settings/api", { method: "POST", body }));
    const plaintext = /lbx_[0-9A-Za-z]{36}/.exec(html)?.[0];
    expect(plaintext).toBeDefined();
    expect(html).toContain("it will not be shown again");
    expect(html).toContain("Rendered token");
    expect(html).toContain("Request log");
    expect(html).toContain("/api/v1/assets/:id"); // a logged route in the table and its filter

    const later = await render(await adminRequest(domain, "/app/settings/api"));
    expect(later).toContain("Rendered token");
    expect(later).toContain(plaintext!.slice(0, 8));
    expect(later).not.toContain(plaintext!);
  });
});
