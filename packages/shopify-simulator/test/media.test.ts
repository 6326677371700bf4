// Media processing: productUpdate(media:) fetches each originalSource over HTTP like Shopify.
// A good image goes UPLOADED -> PROCESSING -> READY; a 404 or a non-image ends FAILED with a
// mediaErrors entry. Staged uploads (PUT) work as an originalSource too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPhoto } from "../src/images.ts";
import { startSimulator } from "../src/index.ts";
import type { RunningSimulator } from "../src/index.ts";
import { adminGraphql, DEMO_SHOP, startStubServer, waitFor } from "../src/test-helpers.ts";

let sim: RunningSimulator;
let token: string;
let images: Awaited<ReturnType<typeof startStubServer>>;
let png: Buffer;

const MEDIA_FIELDS = `id alt status mediaContentType mediaErrors { code message details } image { url width height altText } preview { status image { url } }`;

interface MediaNode {
  id: string;
  alt: string;
  status: string;
  mediaContentType: string;
  mediaErrors: { code: string; message: string; details: string | null }[];
  image: { url: string; width: number; height: number; altText: string | null } | null;
  preview: { status: string; image: { url: string } | null };
}

beforeAll(async () => {
  png = (await renderPhoto({ shape: "bottle", color: "#2f6f8f", background: "#ffffff", width: 640, height: 480, format: "png" })).body;
  images = await startStubServer((req, res) => {
    if (req.url === "/good.png") {
      res.writeHead(200, { "content-type": "image/png" });
      res.end(png);
    } else if (req.url === "/notes.txt") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("this is not an image");
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not Found");
    }
  });
  sim = await startSimulator({ mediaDelays: { uploadedMs: 120, processingMs: 200 } });
  token = sim.issueAccessToken(DEMO_SHOP).access_token;
});
afterAll(async () => {
  await sim.stop();
  await images.close();
});

function productId(index = 0): string {
  const product = [...sim.shop(DEMO_SHOP).products.values()][index];
  return `gid://shopify/Product/${product?.id ?? 0}`;
}

async function mediaOf(id: string): Promise<MediaNode[]> {
  const { body } = await adminGraphql<{ product: { media: { nodes: MediaNode[] } } }>(
    sim,
    token,
    `query Media($id: ID!) { product(id: $id) { media(first: 50) { nodes { ... on MediaImage { ${MEDIA_FIELDS} } } } } }`,
    { id },
  );
  return body.data?.product.media.nodes ?? [];
}

const ADD_MEDIA = `mutation Add($product: ProductUpdateInput!, $media: [CreateMediaInput!]) {
  productUpdate(product: $product, media: $media) {
    product { id media(first: 50) { nodes { ... on MediaImage { id status alt } } } }
    userErrors { field message }
  }
}`;

describe("productUpdate with media", () => {
  it("GIVEN a good image, a 404 and a text file THEN READY via PROCESSING for the image, FAILED with mediaErrors for the others", async () => {
    const id = productId(1);
    const before = (await mediaOf(id)).length;
    const { body } = await adminGraphql<{ productUpdate: { product: { media: { nodes: { id: string; status: string; alt: string }[] } }; userErrors: unknown[] } }>(
      sim,
      token,
      ADD_MEDIA,
      {
        product: { id },
        media: [
          { originalSource: `${images.url}/good.png`, alt: "Blue bottle on white", mediaContentType: "IMAGE" },
          { originalSource: `${images.url}/missing.png`, alt: "Gone", mediaContentType: "IMAGE" },
          { originalSource: `${images.url}/notes.txt`, mediaContentType: "IMAGE" },
        ],
      },
    );
    expect(body.data?.productUpdate.userErrors).toEqual([]);
    const created = body.data?.productUpdate.product.media.nodes.slice(before) ?? [];
    expect(created.map((media) => media.status)).toEqual(["UPLOADED", "UPLOADED", "UPLOADED"]);
    const [good, missing, text] = created.map((media) => media.id);

    // Watch the good one through every state.
    const seen: string[] = ["UPLOADED"];
    await waitFor(async () => {
      const current = (await mediaOf(id)).find((media) => media.id === good);
      if (current && current.status !== seen[seen.length - 1]) seen.push(current.status);
      return current?.status === "READY" ? true : undefined;
    });
    expect(seen).toEqual(["UPLOADED", "PROCESSING", "READY"]);

    const final = await waitFor(async () => {
      const all = await mediaOf(id);
      const pick = (mediaId: string | undefined) => all.find((media) => media.id === mediaId);
      const done = [pick(good), pick(missing), pick(text)];
      return done.every((media) => media && (media.status === "READY" || media.status === "FAILED")) ? done : undefined;
    });
    const [goodMedia, missingMedia, textMedia] = final;
    expect(goodMedia).toMatchObject({ alt: "Blue bottle on white", mediaContentType: "IMAGE", mediaErrors: [], image: { width: 640, height: 480, altText: "Blue bottle on white" } });
    const served = await fetch(String(goodMedia?.image?.url));
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

    expect(missingMedia).toMatchObject({ status: "FAILED", image: null, mediaErrors: [{ code: "IMAGE_DOWNLOAD_FAILURE" }] });
    expect(missingMedia?.mediaErrors[0]?.details).toContain("404");
    expect(textMedia).toMatchObject({ status: "FAILED", image: null, mediaErrors: [{ code: "UNSUPPORTED_IMAGE_FILE_TYPE" }] });
    expect(sim.state.counters).toMatchObject({ mediaCreated: 3, mediaReady: 1, mediaFailed: 2 });
  });

  it("GIVEN an originalSource that is not a URL THEN userErrors and nothing is added", async () => {
    const id = productId(2);
    const before = (await mediaOf(id)).length;
    const { body } = await adminGraphql<{ productUpdate: { userErrors: unknown[] } }>(sim, token, ADD_MEDIA, {
      product: { id },
      media: [{ originalSource: "not a url", mediaContentType: "IMAGE" }],
    });
    expect(body.data?.productUpdate.userErrors).toEqual([{ field: ["media", "0", "originalSource"], message: "Image URL is invalid" }]);
    expect((await mediaOf(id)).length).toBe(before);
  });

  it("GIVEN a staged upload (PUT) THEN its resourceUrl works as originalSource", async () => {
    const { body } = await adminGraphql<{ stagedUploadsCreate: { stagedTargets: { url: string; resourceUrl: string; parameters: { name: string; value: string }[] }[] } }>(
      sim,
      token,
      `mutation Stage($input: [StagedUploadInput!]!) { stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }`,
      { input: [{ resource: "IMAGE", filename: "studio shot.png", mimeType: "image/png", httpMethod: "PUT" }] },
    );
    const target = body.data?.stagedUploadsCreate.stagedTargets[0];
    expect(target?.parameters).toContainEqual({ name: "content_type", value: "image/png" });
    const put = await fetch(String(target?.url), { method: "PUT", headers: { "content-type": "image/png" }, body: new Uint8Array(png) });
    expect(put.status).toBe(200);
    const id = productId(3);
    const added = await adminGraphql<{ productUpdate: { product: { media: { nodes: { id: string }[] } } } }>(sim, token, ADD_MEDIA, {
      product: { id },
      media: [{ originalSource: target?.resourceUrl, alt: "Staged", mediaContentType: "IMAGE" }],
    });
    const nodes = added.body.data?.productUpdate.product.media.nodes ?? [];
    const newId = nodes[nodes.length - 1]?.id;
    const ready = await waitFor(async () => {
      const media = (await mediaOf(id)).find((item) => item.id === newId);
      return media?.status === "READY" || media?.status === "FAILED" ? media : undefined;
    });
    expect(ready.status).toBe("READY");
    expect(ready.image?.url).toContain("studio_shot.png");
  });

  it("GIVEN the CDN THEN seeded photos are real images and ?width= resizes like Shopify's CDN", async () => {
    const media = (await mediaOf(productId(0)))[0];
    expect(media?.status).toBe("READY");
    const full = await fetch(String(media?.image?.url));
    expect(full.headers.get("content-type")).toBe("image/jpeg");
    const small = await fetch(`${String(media?.image?.url)}&width=200`);
    const sharp = (await import("sharp")).default;
    const meta = await sharp(Buffer.from(await small.arrayBuffer())).metadata();
    expect(meta.width).toBe(200);
  });
});
