// A merchant exports images from the Library: picks one, clicks Export, watches it being packed,
// and downloads a ZIP holding that image and its manifest. In Debian's Chromium, inside the local
// Shopify admin; the download link is fetched as the browser would.
import { DEMO_SHOP } from "@lightbox/shopify-simulator";
import { describe, expect, it } from "vitest";

import { readZip } from "../exports/support/unzip";
import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const ctx = stackAndBrowserForFile("export");

describe.skipIf(!ctx.enabled)("Library export", () => {
  it("exports the chosen image as a ZIP with its manifest, and the link downloads it", async () => {
    const mug = [...ctx.stack.sim.shop(DEMO_SHOP).products.values()].find((p) => p.title === "Ceramic Coffee Mug")!;
    // Opening the Studio for a product imports its photos into the Library.
    await ctx.browser.page.goto(ctx.stack.adminUrl(`app/studio?productId=${encodeURIComponent(`gid://shopify/Product/${mug.id}`)}`));
    await (await ctx.browser.appFrame(ctx.stack.appUrl)).getByText("Making images for Ceramic Coffee Mug").waitFor();

    await ctx.browser.page.goto(ctx.stack.adminUrl("app/library"));
    const library = await ctx.browser.appFrame(ctx.stack.appUrl);
    await library.getByRole("button", { name: "Export all" }).waitFor();
    await library.getByRole("checkbox").first().check({ force: true });
    await library.getByRole("button", { name: "Export 1 selected" }).click();
    await library.getByText("The export is being packed").waitFor();
    const download = library.getByRole("link", { name: /Download ZIP \(1 image,/ });
    await download.waitFor({ timeout: 60_000 });
    await ctx.browser.shot("library-export");

    const href = await download.getAttribute("href");
    expect(href).toMatch(/\/files\/shops\/.+\/exports\/.+\/archive\.zip\?/);
    const response = await fetch(href!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="lightbox-export-/);
    const zip = readZip(Buffer.from(await response.arrayBuffer()));
    expect(zip.entries.map((e) => e.name).sort()).toEqual(["manifest.json", expect.stringMatching(/^product-photos\/.+\.jpg$/)]);
    const manifest = JSON.parse(zip.entries.find((e) => e.name === "manifest.json")!.data.toString());
    expect(manifest.items[0]).toMatchObject({ kind: "product_photo", product_id: `gid://shopify/Product/${mug.id}` });
    expect(externalHosts(ctx.browser.requests)).toEqual([]);
  });
});
