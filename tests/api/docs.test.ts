// Runs docs/API.md: every ```sh block, in order, against the real route handlers, as the
// developer reading it would (same variables, same files, the jq captures). Each command's
// status must match its "# => NNN" line, the JSON shown after a block must be a key-subset of
// the real response, and every operation of the OpenAPI document must be exercised somewhere.
// The signature verification snippet (```js) is executed against real signatures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { demoProducts } from "@lightbox/shopify-simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openApiDocument } from "~/api/contract/document";
import { newWebhookSecret, signatureHeader } from "~/api/webhooks/signing.server";
import { db } from "~/db.server";
import { createApiToken } from "~/tokens/create-token.server";

import { installShop, settleJobs, startHarness, type PublishHarness } from "../publish/support";
import { APP_URL, call } from "./support/api";
import { jqRaw, logicalLines, parseCurl, parseLine } from "./support/curl";
import { openApiPath } from "./support/openapi-check";
import { fixture } from "./support/storage";

const DOC = readFileSync(path.resolve(__dirname, "../../docs/API.md"), "utf8");
/** Files the examples upload, mapped to test fixtures. */
const FILES: Record<string, string> = { "mug.jpg": "valid-photo.jpg" };
/** The docs' shop, in the local Shopify simulator (the product examples publish onto it). */
const DOCS_SHOP = "docs.myshopify.com";

type Block = { lang: string; body: string; line: number; start: number; end: number };

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const re = /^```([\w-]*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    out.push({ lang: m[1]!, body: m[2]!, line: markdown.slice(0, m.index).split("\n").length, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Every key path of `example` must exist in `actual`, with the same JSON type (null matches anything). */
function keysMissing(example: unknown, actual: unknown, at = "$"): string[] {
  if (example === null || actual === null) return [];
  const kind = (v: unknown) => (Array.isArray(v) ? "array" : typeof v);
  if (kind(example) !== kind(actual)) return [`${at}: the docs show ${kind(example)}, the API returns ${kind(actual)}`];
  if (Array.isArray(example)) {
    const [first] = example;
    const [real] = actual as unknown[];
    return first === undefined || real === undefined ? [] : keysMissing(first, real, `${at}[0]`);
  }
  if (example && typeof example === "object") {
    return Object.entries(example).flatMap(([key, value]) =>
      key in (actual as object) ? keysMissing(value, (actual as Record<string, unknown>)[key], `${at}.${key}`) : [`${at}.${key}: in the docs, not in the response`],
    );
  }
  return [];
}

async function runCurl(args: string[]) {
  const request = parseCurl(args);
  if (!request.url.startsWith(`${APP_URL}/`)) throw new Error(`curl URL must start with $LIGHTBOX_URL: ${request.url}`);
  let body: BodyInit | undefined;
  const headers = { ...request.headers };
  if (request.form.length) {
    const form = new FormData();
    for (const [name, value] of request.form) {
      if (value.startsWith("@")) {
        const file = value.slice(1);
        if (!FILES[file]) throw new Error(`the docs upload ${file}: map it to a fixture in FILES`);
        form.append(name, new Blob([new Uint8Array(fixture(FILES[file]))], { type: "image/jpeg" }), file);
      } else form.append(name, value);
    }
    const encoded = new Response(form);
    body = Buffer.from(await encoded.arrayBuffer());
    headers["Content-Type"] = encoded.headers.get("content-type")!;
  } else if (request.data !== null) body = request.data;
  // Through the route handlers; `call` also checks the response against the OpenAPI document.
  const result = await call(request.url.slice(APP_URL.length), { method: request.method, headers, body });
  return { ...result, method: request.method };
}

describe("docs/API.md", () => {
  let token: string;
  let h: PublishHarness;
  beforeAll(async () => {
    // The app's storage, job queue and Admin client, with Shopify simulated (app/shopify-admin).
    h = await startHarness();
    h.sim.createShop({ domain: DOCS_SHOP, name: "Docs", products: demoProducts().slice(0, 3) });
    const shop = await installShop(h.sim, DOCS_SHOP);
    token = (await createApiToken(db, { shopId: shop.id, name: "Nightly catalogue script", scopes: ["read", "write"] })).plaintext;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("every curl example works as written and returns what the page shows", async () => {
    const vars: Record<string, string> = { LIGHTBOX_URL: APP_URL, LIGHTBOX_TOKEN: token };
    const exercised = new Set<string>();
    let commands = 0;
    const all = blocks(DOC);
    for (const [index, block] of all.entries()) {
      if (block.lang !== "sh") continue;
      let last: Awaited<ReturnType<typeof runCurl>> | null = null;
      let checked = false;
      for (const line of logicalLines(block.body)) {
        const where = `docs/API.md:${block.line}: ${line.slice(0, 90)}`;
        const parsed = parseLine(line, vars);
        if (!parsed) continue;
        if (parsed.kind === "export") {
          if (!["LIGHTBOX_URL", "LIGHTBOX_TOKEN"].includes(parsed.name)) vars[parsed.name] = parsed.value;
          continue;
        }
        if (parsed.kind === "status") {
          expect(last, `${where}: "# =>" without a command before it`).not.toBeNull();
          expect(last!.status, `${where}: ${last!.text.slice(0, 300)}`).toBe(parsed.status);
          checked = true;
          continue;
        }
        if (last && !checked) expect(last.status, `${where}: the previous command failed: ${last.text.slice(0, 300)}`).toBeLessThan(300);
        last = await runCurl(parsed.curl);
        checked = false;
        commands += 1;
        if (last.pattern) exercised.add(`${last.method} ${openApiPath(last.pattern)}`);
        if (parsed.capture) {
          const value = jqRaw(last.body, parsed.jq ?? ".");
          expect(value, `${where}: captured ${parsed.capture} is null`).not.toBe("null");
          vars[parsed.capture] = value;
        }
        await settleJobs(h.queue); // what "wait a moment" means in a test
      }
      if (!last) continue;
      expect(checked, `docs/API.md:${block.line}: end each example with "# => <status>"`).toBe(true);
      const next = all[index + 1];
      // A ```json block right after the example (only blank lines between) shows its response.
      if (next?.lang === "json" && DOC.slice(block.end, next.start).trim() === "") {
        const example = JSON.parse(next.body) as unknown;
        expect(keysMissing(example, last.body), `docs/API.md:${next.line}: the example response drifted from the API`).toEqual([]);
      }
    }
    expect(commands).toBeGreaterThanOrEqual(10);

    // Every documented operation has an example.
    const documented = Object.entries(openApiDocument().paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.filter((op) => !exercised.has(op)), "operations without a curl example in docs/API.md").toEqual([]);
  });

  it("the signature verification snippet accepts real signatures and refuses forged or stale ones", async () => {
    const snippet = blocks(DOC).find((b) => b.lang === "js" && b.body.includes("verifyLightboxSignature"));
    expect(snippet, "docs/API.md has no js block with verifyLightboxSignature").toBeDefined();
    const dir = mkdtempSync(path.join(tmpdir(), "lightbox-docs-"));
    try {
      const file = path.join(dir, "verify.mjs");
      writeFileSync(file, snippet!.body);
      const { verifyLightboxSignature } = (await import(pathToFileURL(file).href)) as {
        verifyLightboxSignature(body: string, header: string | null, secret: string): boolean;
      };
      const body = JSON.stringify({ id: "d1", event: "generation.succeeded" });
      const now = Math.floor(Date.now() / 1000);
      const secret = newWebhookSecret();
      expect(verifyLightboxSignature(body, signatureHeader([secret], body, now), secret)).toBe(true);
      expect(verifyLightboxSignature(`${body} `, signatureHeader([secret], body, now), secret)).toBe(false);
      expect(verifyLightboxSignature(body, signatureHeader([secret], body, now - 3600), secret)).toBe(false);
      expect(verifyLightboxSignature(body, signatureHeader([secret], body, now), newWebhookSecret())).toBe(false);
      expect(verifyLightboxSignature(body, null, secret)).toBe(false);
      // Several v1 values (a rotation): any match is enough.
      const rotated = signatureHeader([newWebhookSecret(), secret], body, now);
      expect(verifyLightboxSignature(body, rotated, secret)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
