// A merchant runs a batch from the app (offline compositor: no AI, free): chooses the products by
// a filter, sees the cost preview, starts it, watches the review page fill in, rejects one result,
// approves the rest with "Approve all", and sees them published on the products in Shopify.
import { DEMO_SHOP } from "@lightbox/shopify-simulator";
import { describe, expect, it } from "vitest";

import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const ctx = stackAndBrowserForFile("batch-admin");

describe.skipIf(!ctx.enabled)("a batch from the app", () => {
  it("previews the cost, runs, fills the review page, and publishes what was approved", async () => {
    const { browser, stack } = ctx;
    const shop = stack.sim.shop(DEMO_SHOP);
    const drinkware = [...shop.products.values()].filter((p) => p.productType === "Drinkware");
    expect(drinkware).toHaveLength(2);
    const before = new Map(drinkware.map((p) => [p.id, [...p.mediaIds]]));

    await browser.page.goto(stack.adminUrl("app/batches/new"));
    const app = await browser.appFrame(stack.appUrl);
    await app.getByText("1. Products").waitFor();
    await app.getByLabel("Product type").fill("Drinkware");
    await browser.shot("new");
    await app.getByRole("button", { name: "Preview cost and time" }).click();
    await app.getByText("Before it starts").waitFor({ timeout: 30_000 });
    await app.getByText("2 products", { exact: true }).waitFor();
    await app.getByText(/offline compositor/).first().waitFor();
    await browser.shot("preview");

    await app.getByRole("button", { name: "Start batch" }).click();
    await app.getByRole("link", { name: "Open the review page" }).click();
    await app.getByText("Batch review", { exact: true }).waitFor({ timeout: 30_000 });
    await browser.shot("started");
    await expect.poll(() => app.getByText("Ready for review", { exact: true }).count(), { timeout: 90_000 }).toBe(2);
    await app.getByRole("button", { name: "Approve all (2)" }).waitFor();
    await browser.shot("review");

    const [first, second] = drinkware;
    await app.getByRole("button", { name: `Reject ${first!.title}` }).click();
    await app.getByRole("button", { name: "Approve all (1)" }).waitFor({ timeout: 15_000 });
    await app.getByRole("button", { name: "Approve all (1)" }).click();
    await expect.poll(() => app.getByText("Published", { exact: true }).count(), { timeout: 90_000 }).toBe(1);
    await app.getByText("Rejected", { exact: true }).waitFor();
    await browser.shot("published");

    // Shopify has the approved image on its product and nothing new on the rejected one.
    expect(shop.products.get(first!.id)!.mediaIds).toEqual(before.get(first!.id));
    const after = shop.products.get(second!.id)!.mediaIds;
    expect(after).toHaveLength(before.get(second!.id)!.length + 1);
    expect(after.slice(0, -1)).toEqual(before.get(second!.id));
    expect(shop.media.get(after.at(-1)!)!.status).toBe("READY");

    await browser.page.goto(stack.adminUrl("app/batches"));
    const list = await browser.appFrame(stack.appUrl);
    await list.getByText("Done", { exact: true }).waitFor({ timeout: 30_000 });
    await browser.shot("list");
    expect(externalHosts(browser.requests)).toEqual([]);
  });
});
