// The Usage page: the ledger with its filters, the chart of credits spent per day by model (a
// refund takes its credits off the day they were spent), totals, and the CSV export.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";

import { debitCredits, grantCredits, refundGeneration } from "~/credits/ledger.server";
import { db } from "~/db.server";
import Usage, { loader } from "~/routes/app.usage";
import { loader as csvLoader } from "~/routes/app.usage[.]csv";
import { usagePage } from "~/usage/usage-page.server";

import { adminRequest, installShop, routeArgs } from "../helpers/admin";

const DOMAIN = "usage-page.myshopify.com";
const NOW = new Date("2026-12-03T12:00:00Z");
let shopId: string;

async function spend(generationId: string, amount: number, model: string, at: string) {
  await debitCredits(db, { shopId, amount, generationId, reason: `${amount} × ${model} 1K`, model });
  await db.creditEntry.update({ where: { key: `debit:${generationId}` }, data: { createdAt: new Date(at) } });
}

beforeAll(async () => {
  shopId = (await installShop(DOMAIN)).id;
  await db.creditEntry.updateMany({ where: { shopId }, data: { createdAt: new Date("2026-11-30T08:00:00Z") } });
  await grantCredits(db, { shopId, amount: 100, key: `pack:usage-${shopId}`, reason: "=HYPERLINK(\"x\") pack" });
  await db.creditEntry.update({ where: { key: `pack:usage-${shopId}` }, data: { createdAt: new Date("2026-12-01T08:00:00Z") } });
  await spend("g-flash-1", 3, "gemini-3.1-flash-image", "2026-12-01T09:00:00Z");
  await spend("g-pro-1", 4, "gemini-3-pro-image", "2026-12-01T10:00:00Z");
  await spend("g-flash-2", 2, "gemini-3.1-flash-image", "2026-12-02T09:00:00Z");
  // g-flash-2 failed the next day: its refund comes off Dec 2, the day it was spent.
  await refundGeneration(db, { generationId: "g-flash-2", reason: "Generation failed: refunded" });
  await db.creditEntry.update({ where: { key: "refund:g-flash-2" }, data: { createdAt: new Date("2026-12-03T09:00:00Z") } });
});

describe("usage page", () => {
  it("charts credits per day by model (net of refunds) and totals the range", async () => {
    const data = await usagePage(db, shopId, { from: "2026-11-30", to: "2026-12-03" }, NOW);
    expect(data.chart.days).toEqual([
      { day: "2026-11-30", byModel: {} },
      { day: "2026-12-01", byModel: { "gemini-3.1-flash-image": 3, "gemini-3-pro-image": 4 } },
      { day: "2026-12-02", byModel: {} },
      { day: "2026-12-03", byModel: {} },
    ]);
    expect(data.chart.models).toEqual(["gemini-3-pro-image", "gemini-3.1-flash-image"]);
    expect(data.totals).toEqual({ granted: 110, spent: 9, refunded: 2, expired: 0 });
    expect(data.entries.map((e) => [e.kind, e.amount])).toEqual([
      ["refund", 2],
      ["debit", -2],
      ["debit", -4],
      ["debit", -3],
      ["grant", 100],
      ["grant", 10],
    ]);
  });

  it("filters by kind and model, and a range without entries is empty; by default the chart shows the last 30 days", async () => {
    expect((await usagePage(db, shopId, { kind: "debit", model: "gemini-3-pro-image" }, NOW)).entries.map((e) => e.amount)).toEqual([-4]);
    expect((await usagePage(db, shopId, { from: "2026-10-01", to: "2026-10-31" }, NOW)).entries).toEqual([]);
    const defaults = await usagePage(db, shopId, { kind: "nonsense", from: "yesterday" }, NOW);
    expect(defaults.entries).toHaveLength(6);
    expect(defaults.chart.days).toHaveLength(30);
    expect(defaults.range).toEqual({ from: "2026-11-04", to: "2026-12-03" });
  });

  it("renders the chart, totals and history", async () => {
    const handler = createStaticHandler([{ id: "usage", path: "/app/usage", loader: (args) => loader({ ...args, context: {} }), Component: Usage }]);
    const context = await handler.query(await adminRequest(DOMAIN, "/app/usage?from=2026-11-30&to=2026-12-03"));
    if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
    const router = createStaticRouter(handler.dataRoutes, context);
    const html = renderToString(createElement(AppProvider, { i18n: en }, createElement(StaticRouterProvider, { router, context })));
    expect(html).toContain('data-testid="usage-chart"');
    expect(html).toContain("Gemini 3 Pro Image");
    expect(html).toContain("Credits spent per day");
    expect(html).toContain("Export CSV");
    expect((html.match(/data-model="/g) ?? []).length).toBe(2);
  });

  it("exports the filtered ledger as CSV, oldest first, spreadsheet formulas defused", async () => {
    const response = await csvLoader(routeArgs(await adminRequest(DOMAIN, "/app/usage.csv?kind=grant")));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="lightbox-usage-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines).toEqual([
      "created_at,kind,credits,balance_after,reason,model,generation_id,token_id",
      "2026-11-30T08:00:00.000Z,grant,10,10,Free trial credits,,,",
      `2026-12-01T08:00:00.000Z,grant,100,110,"'=HYPERLINK(""x"") pack",,,`,
    ]);
  });
});
