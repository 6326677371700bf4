// The admin's Products pages offer an app's built admin UI extensions, and the extension host serves
// the bundle as `shopify app build` wrote it. (The host's behaviour in a browser is covered by the
// app's Chromium e2e test, tests/e2e/batch.e2e.ts.) Fixture app: a temporary folder with two
// extensions, one built, one not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAppExtensions, readExtensionToml, startSimulator } from "../src/index.ts";
import type { RunningSimulator } from "../src/index.ts";
import { DEMO_SHOP } from "../src/test-helpers.ts";

const APP_URL = "http://127.0.0.1:3999";
let sim: RunningSimulator;
let appRoot: string;

const BULK_TOML = `# a comment
api_version = "2026-10"

[[extensions]]
name = "Generate images with Lightbox"
handle = "bulk"
type = "ui_extension"

[[extensions.targeting]]
module = "./src/Bulk.tsx"
target = "admin.product-index.selection-action.render"
`;

function writeExtension(dir: string, toml: string, bundle?: { handle: string; source: string }) {
  mkdirSync(path.join(appRoot, "extensions", dir, "dist"), { recursive: true });
  writeFileSync(path.join(appRoot, "extensions", dir, "shopify.extension.toml"), toml);
  if (bundle) writeFileSync(path.join(appRoot, "extensions", dir, "dist", `${bundle.handle}.js`), bundle.source);
}

beforeAll(async () => {
  appRoot = mkdtempSync(path.join(tmpdir(), "sim-extensions-"));
  writeExtension("bulk", BULK_TOML, { handle: "bulk", source: 'shopify.extend("admin.product-index.selection-action.render", () => {});' });
  writeExtension(
    "details",
    BULK_TOML.replace("Generate images with Lightbox", "Open in Lightbox").replace('"bulk"', '"details"').replace("admin.product-index.selection-action.render", "admin.product-details.action.render"),
    { handle: "details", source: "// details" },
  );
  writeExtension("unbuilt", BULK_TOML.replace('"bulk"', '"unbuilt"'));
  sim = await startSimulator({ appUrl: APP_URL, extensions: loadAppExtensions(appRoot).extensions });
});
afterAll(async () => {
  await sim.stop();
  rmSync(appRoot, { recursive: true, force: true });
});

describe("the app's extensions", () => {
  it("GIVEN extension tomls THEN their name, handle, type, api_version and targets are read; unbuilt ones are named as missing", () => {
    expect(readExtensionToml(BULK_TOML)).toEqual([
      { name: "Generate images with Lightbox", handle: "bulk", type: "ui_extension", apiVersion: "2026-10", targets: ["admin.product-index.selection-action.render"] },
    ]);
    const { extensions, missing } = loadAppExtensions(appRoot);
    expect(extensions.map((e) => [e.handle, e.target]).sort()).toEqual([
      ["bulk", "admin.product-index.selection-action.render"],
      ["details", "admin.product-details.action.render"],
    ]);
    expect(missing).toEqual(["unbuilt"]);
  });

  it("GIVEN the products list THEN every product has a checkbox and More actions lists the app's selection action", async () => {
    const html = await (await fetch(`${sim.url}/store/lightbox-demo/products`)).text();
    const products = [...sim.shop(DEMO_SHOP).products.values()];
    for (const product of products) expect(html).toContain(`aria-label="Select ${product.title}" value="gid://shopify/Product/${product.id}"`);
    expect(html).toContain('<button type="button" role="menuitem" data-extension="bulk">Generate images with Lightbox</button>');
    expect(html).not.toContain("Open in Lightbox");
  });

  it("GIVEN a product's page THEN its photos and More actions with the app's product action; an unknown product is a 404", async () => {
    const product = [...sim.shop(DEMO_SHOP).products.values()][0]!;
    const html = await (await fetch(`${sim.url}/store/lightbox-demo/products/${product.id}`)).text();
    expect(html).toContain(`${product.title}</h1>`);
    expect(html).toContain('data-extension="details">Open in Lightbox</button>');
    expect(html).toContain(`"selected":[{"id":"gid://shopify/Product/${product.id}"}]`);
    expect((await fetch(`${sim.url}/store/lightbox-demo/products/999999`)).status).toBe(404);
  });

  it("GIVEN an extension opened with a selection THEN the host document carries target, selection and app URL, loads the runtime and then the bundle from disk", async () => {
    const selected = JSON.stringify([{ id: "gid://shopify/Product/1" }, { id: "gid://shopify/Product/2" }]);
    const host = await fetch(
      `${sim.url}/_sim/extension-host?shop=${DEMO_SHOP}&handle=bulk&target=admin.product-index.selection-action.render&selected=${encodeURIComponent(selected)}`,
    );
    expect(host.status).toBe(200);
    const html = await host.text();
    const config = JSON.parse(/<script type="application\/json" id="extension-config">(.*?)<\/script>/.exec(html)![1]!) as Record<string, unknown>;
    expect(config).toMatchObject({ shop: DEMO_SHOP, appUrl: APP_URL, target: "admin.product-index.selection-action.render", selected: JSON.parse(selected) });
    expect(html.indexOf("/_sim/extension-host.js")).toBeLessThan(html.indexOf("/_sim/extensions/bulk.js"));

    const bundle = await fetch(`${sim.url}/_sim/extensions/bulk.js`);
    expect(await bundle.text()).toContain('shopify.extend("admin.product-index.selection-action.render"');
    writeFileSync(path.join(appRoot, "extensions", "bulk", "dist", "bulk.js"), "// rebuilt");
    expect(await (await fetch(`${sim.url}/_sim/extensions/bulk.js`)).text()).toBe("// rebuilt");

    const runtime = await (await fetch(`${sim.url}/_sim/extension-host.js`)).text();
    expect(runtime).toContain('define("s-admin-action"');
    // A target the extension does not have, or an unknown handle: no host.
    expect((await fetch(`${sim.url}/_sim/extension-host?shop=${DEMO_SHOP}&handle=bulk&target=admin.product-details.action.render`)).status).toBe(404);
    expect((await fetch(`${sim.url}/_sim/extensions/nope.js`)).status).toBe(404);
  });
});
