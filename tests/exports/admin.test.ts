// Exports from the admin: the Library's Export (chosen images, the filter shown, or all), Settings'
// "Export all my data", the progress the pages poll, and the download link the merchant clicks.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { db } from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { loader as exportLoader } from "~/routes/app.exports.$exportId";
import { action as libraryAction, loader as libraryLoader } from "~/routes/app.library._index";
import Settings, { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings._index";
import { appStorage } from "~/storage/from-env.server";

import { fixture, withTempStorage } from "../api/support/storage";
import { adminRequest, installShop, routeArgs, settle } from "../helpers/admin";

withTempStorage();
const DOMAIN = "exports-admin.myshopify.com";
const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: 2 });
let shopId = "";
let assetId = "";

beforeAll(async () => {
  setJobQueue(queue);
  shopId = (await installShop(DOMAIN)).id;
  assetId = (await ingestAsset({ db, storage: appStorage(), shopId, kind: "upload", bytes: fixture("valid-photo.jpg"), filename: "mug.jpg" })).asset.id;
});
afterAll(async () => {
  await queue.stop();
  setJobQueue(undefined);
});

const post = async (path: string, fields: Array<[string, string]>) => adminRequest(DOMAIN, path, { method: "POST", body: new URLSearchParams(fields) });
const json = async (response: Response | Promise<Response>) => {
  const settled = await settle(response);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: settled.status, body: (await settled.json()) as any };
};

describe("Library > Export", () => {
  it("GIVEN chosen images THEN an export of exactly those is queued, its progress can be polled, and the Library lists it with a download link once ready", async () => {
    const exported = await json(libraryAction(routeArgs(await post("/app/library", [["intent", "export"], ["assetIds", assetId]]))));
    expect(exported.status).toBe(200);
    const id = exported.body.exported.id as string;
    expect((await db.export.findUniqueOrThrow({ where: { id } })).selection).toEqual({ assetIds: [assetId] });

    const queued = await json(exportLoader(routeArgs(await adminRequest(DOMAIN, `/app/exports/${id}?poll=1`), { exportId: id })));
    expect(queued.body).toMatchObject({ status: "queued", download: null });
    await queue.drain();
    const ready = await json(exportLoader(routeArgs(await adminRequest(DOMAIN, `/app/exports/${id}?poll=1`), { exportId: id })));
    expect(ready.body).toMatchObject({ status: "ready", progress: 100, itemCount: 1, download: { url: expect.stringContaining("/files/") } });

    const page = await json(libraryLoader(routeArgs(await adminRequest(DOMAIN, "/app/library"))));
    expect(page.body.exports[0]).toMatchObject({ id, status: "ready", download: { url: expect.any(String) } });
  });

  it("GIVEN the filter shown THEN the export takes it; GIVEN an image of another shop THEN a banner says it was not found and nothing is queued", async () => {
    const filtered = await json(libraryAction(routeArgs(await post("/app/library", [["intent", "export"], ["kind", "upload"]]))));
    expect((await db.export.findUniqueOrThrow({ where: { id: filtered.body.exported.id } })).selection).toEqual({ kind: "upload" });

    const before = await db.export.count({ where: { shopId } });
    const refused = await json(libraryAction(routeArgs(await post("/app/library", [["intent", "export"], ["assetIds", "someone-elses-image"]]))));
    expect(refused.status).toBe(404);
    expect(refused.body.error.detail).toMatch(/not found/);
    expect(await db.export.count({ where: { shopId } })).toBe(before);
  });
});

describe("Settings > Export all my data", () => {
  const asRouterFn = (fn: typeof settingsLoader | typeof settingsAction) => (args: { request: Request; params: Record<string, string | undefined> }) => fn({ ...args, context: {} });
  const handler = createStaticHandler([{ id: "settings", path: "/app/settings", loader: asRouterFn(settingsLoader), action: asRouterFn(settingsAction), Component: Settings }]);
  const render = async (request: Request) => {
    const context = await handler.query(request);
    if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
    const router = createStaticRouter(handler.dataRoutes, context);
    return renderToString(createElement(AppProvider, { i18n: en }, createElement(StaticRouterProvider, { router, context })));
  };

  it("GIVEN the button pressed THEN the page says it is being packed, and once built shows a Download ZIP link for it", async () => {
    const html = await render(await post("/app/settings", [["intent", "export-all"]]));
    expect(html).toContain("Your data is being packed into a ZIP");
    const row = await db.export.findFirstOrThrow({ where: { shopId, scope: "all_data" } });
    await queue.drain();
    expect((await db.export.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("ready");
    const page = await render(await adminRequest(DOMAIN, "/app/settings"));
    expect(page).toContain("Download ZIP (1 image,");
    expect(page).toContain("All data");
  });
});
