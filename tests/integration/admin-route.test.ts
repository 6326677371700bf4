// adminRoute, the admin pages' wrapper: the library's authentication, the shop row, zod query and
// intent forms, and errors as `{ error }` JSON (returned to fetchers, thrown to a page's boundary).
import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { list, optionalText, text } from "~/admin/form.server";
import { adminRoute, type AdminRouteArgs } from "~/admin/route.server";
import { getAsset } from "~/assets/get-asset.server";
import { db } from "~/db.server";
import { action as settingsAction } from "~/routes/app.settings._index";

import { adminRequest, installShop, routeArgs, settle } from "../helpers/admin";

const DOMAIN = "admin-route.myshopify.com";

type ErrorBody = { error: { status: number; title: string; detail: string; code: string; fieldErrors?: Record<string, string> } };

const post = (fields: Record<string, string | string[]>, path = "/app/test") => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return adminRequest(DOMAIN, path, { method: "POST", body });
};

/** A route with two intents, echoing what its handler was given. */
const testAction = (args: AdminRouteArgs) =>
  adminRoute(
    args,
    {
      intents: {
        rename: z.object({ name: z.string().trim().min(1, "Give it a name"), note: optionalText() }),
        pick: z.object({ ids: list(), label: text() }),
      },
    },
    async ({ form, shop, session, db: ctxDb, storage, url }) =>
      Response.json({ form, shopDomain: shop.domain, sessionShop: session.shop, hasDb: ctxDb === db, storageKind: storage.kind, path: url.pathname }),
  );

describe("adminRoute", () => {
  it("GIVEN a known intent WHEN the form parses THEN the handler gets the typed form, the shop and the services", async () => {
    await installShop(DOMAIN);
    const response = await testAction(routeArgs(await post({ intent: "rename", name: "  Summer  ", note: "   " })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      form: { intent: "rename", name: "Summer" },
      shopDomain: DOMAIN,
      sessionShop: DOMAIN,
      hasDb: true,
      storageKind: "disk",
      path: "/app/test",
    });

    // A name sent several times is a list; once, a list of one; never, an empty list.
    const picked = async (ids: string[]) => ((await (await testAction(routeArgs(await post({ intent: "pick", ids })))).json()) as { form: unknown }).form;
    expect(await picked(["a", "b"])).toEqual({ intent: "pick", ids: ["a", "b"], label: "" });
    expect(await picked(["a"])).toEqual({ intent: "pick", ids: ["a"], label: "" });
    expect(await picked([])).toEqual({ intent: "pick", ids: [], label: "" });
  });

  it("GIVEN an unknown or missing intent THEN 400 that says to reload, and the handler does not run", async () => {
    for (const request of [
      await post({ intent: "explode", name: "x" }),
      await post({ name: "x" }),
      await adminRequest(DOMAIN, "/app/test", { method: "POST", body: JSON.stringify({ intent: "rename" }), headers: { "Content-Type": "application/json" } }),
    ]) {
      const response = await testAction(routeArgs(request));
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error).toMatchObject({
        status: 400,
        title: "Bad request",
        detail: "Unknown action. Reload the page and try again.",
      });
    }
    // A real page: the same answer from Settings.
    const settings = await settingsAction(routeArgs(await post({ intent: "nope" }, "/app/settings")));
    expect(settings.status).toBe(400);
    expect(((await settings.json()) as ErrorBody).error.detail).toBe("Unknown action. Reload the page and try again.");
  });

  it("GIVEN a form that does not parse THEN 400 with an error per field, for the page's banner and fields", async () => {
    const response = await testAction(routeArgs(await post({ intent: "rename", name: "   " })));
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error).toMatchObject({ status: 400, title: "Bad request", code: "BAD_REQUEST", fieldErrors: { name: "Give it a name" } });
    expect(error.detail).toBe("The form could not be read. Reload the page and try again (name: Give it a name).");
  });

  it("GIVEN a domain error in an action or a fetcher's loader THEN `{ error }` JSON with its status is returned", async () => {
    const missing = (args: AdminRouteArgs) => adminRoute(args, {}, async ({ shop }) => Response.json(await getAsset(db, shop.id, "missing")));
    const response = await missing(routeArgs(await adminRequest(DOMAIN, "/app/test")));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { status: 404, title: "Not found", detail: "Image was not found.", code: "NOT_FOUND" } });
  });

  it("GIVEN a domain error in a page's loader THEN it is thrown to the error boundary, except to the page polling itself", async () => {
    const page = (args: AdminRouteArgs) => adminRoute(args, { errors: "page" }, async ({ shop }) => Response.json(await getAsset(db, shop.id, "missing")));
    let thrown: unknown;
    await page(routeArgs(await adminRequest(DOMAIN, "/app/test"))).catch((error: unknown) => (thrown = error));
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
    expect(((await (thrown as Response).json()) as ErrorBody).error.detail).toBe("Image was not found.");

    const polled = await page(routeArgs(await adminRequest(DOMAIN, "/app/test?poll=1")));
    expect(polled.status).toBe(404);
    expect(((await polled.json()) as ErrorBody).error.code).toBe("NOT_FOUND");
  });

  it("GIVEN an unexpected error THEN it is not dressed up: Remix answers 500", async () => {
    const broken = (args: AdminRouteArgs) =>
      adminRoute(args, {}, async () => {
        throw new Error("boom");
      });
    await expect(broken(routeArgs(await adminRequest(DOMAIN, "/app/test")))).rejects.toThrow("boom");
  });

  it("GIVEN a query schema THEN the handler gets the parsed query, and a bad query is a 400 naming the parameter", async () => {
    const listing = (args: AdminRouteArgs) =>
      adminRoute(args, { query: z.object({ page: z.coerce.number().int().min(1, "Pages start at 1").default(1), q: z.string().optional() }) }, async ({ query }) =>
        Response.json(query),
      );
    expect(await (await listing(routeArgs(await adminRequest(DOMAIN, "/app/test?page=3&q=mug&q=cup")))).json()).toEqual({ page: 3, q: "mug" });
    expect(await (await listing(routeArgs(await adminRequest(DOMAIN, "/app/test")))).json()).toEqual({ page: 1 });
    const bad = await listing(routeArgs(await adminRequest(DOMAIN, "/app/test?page=0")));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.fieldErrors).toEqual({ page: "Pages start at 1" });
  });

  it("GIVEN a session whose shop row is missing (the install hook never ran) THEN the row is created", async () => {
    await db.shop.delete({ where: { domain: DOMAIN } });
    const response = await testAction(routeArgs(await post({ intent: "pick", label: "x" })));
    expect(response.status).toBe(200);
    expect(await db.shop.count({ where: { domain: DOMAIN } })).toBe(1);
  });

  it("GIVEN no session token or a bad one THEN the library's answer passes through untouched and the handler never runs", async () => {
    let ran = false;
    const route = (args: AdminRouteArgs) =>
      adminRoute(args, { errors: "page" }, async () => {
        ran = true;
        return new Response("ran");
      });
    // A document request without a token: the library sends it to log in.
    const login = await settle(route(routeArgs(new Request(`${APP_URL}/app/test`))));
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/auth/login");
    // A fetch with an invalid token: 401, and App Bridge retries with a fresh one.
    const retry = await settle(route(routeArgs(new Request(`${APP_URL}/app/test`, { headers: { Authorization: "Bearer not-a-jwt" } }))));
    expect(retry.status).toBe(401);
    expect(retry.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    expect(ran).toBe(false);
  });
});
