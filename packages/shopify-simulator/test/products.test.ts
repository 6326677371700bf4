// Products: cursor pagination and search; productSet sets the whole gallery (keep / re-alt by id,
// add by originalSource, drop the rest; omitted `files` leaves media alone); productReorderMedia
// is an asynchronous Job applying moves in order.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderPhoto } from "../src/images.ts";
import { startSimulator } from "../src/index.ts";
import type { RunningSimulator } from "../src/index.ts";
import { adminGraphql, DEMO_SHOP, firstErrorCode, startStubServer, waitFor } from "../src/test-helpers.ts";

let sim: RunningSimulator;
let token: string;
let images: Awaited<ReturnType<typeof startStubServer>>;

beforeAll(async () => {
  const jpeg = (await renderPhoto({ shape: "vase", color: "#7a9cc6", background: "#fafafa", width: 400, height: 400 })).body;
  images = await startStubServer((_req, res) => {
    res.writeHead(200, { "content-type": "image/jpeg" });
    res.end(jpeg);
  });
  sim = await startSimulator({ mediaDelays: { uploadedMs: 20, processingMs: 40 }, jobDelayMs: 80 });
});
afterAll(async () => {
  await sim.stop();
  await images.close();
});
beforeEach(() => {
  sim.reset();
  token = sim.issueAccessToken(DEMO_SHOP).access_token;
});

interface Gallery {
  product: { media: { nodes: { id: string; alt: string; status: string }[] } } | null;
}
const GALLERY = `query Gallery($id: ID!) { product(id: $id) { media(first: 20) { nodes { ... on MediaImage { id alt status } } } } }`;

async function gallery(id: string) {
  const { body } = await adminGraphql<Gallery>(sim, token, GALLERY, { id });
  return body.data?.product?.media.nodes ?? [];
}

function mug(): string {
  const product = [...sim.shop(DEMO_SHOP).products.values()].find((item) => item.handle === "ceramic-coffee-mug");
  return `gid://shopify/Product/${product?.id ?? 0}`;
}

describe("products query", () => {
  it("GIVEN first/after THEN real cursor pagination with pageInfo", async () => {
    const page = `query Page($after: String) { products(first: 5, after: $after) { edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    type Page = { products: { edges: { cursor: string; node: { title: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null; startCursor: string | null } } };
    const titles: string[] = [];
    let after: string | null = null;
    const pages: Page["products"]["pageInfo"][] = [];
    do {
      const response: { body: { data?: Page | null } } = await adminGraphql<Page>(sim, token, page, { after });
      const products: Page["products"] | undefined = response.body.data?.products;
      titles.push(...(products?.edges.map((edge) => edge.node.title) ?? []));
      if (products) pages.push(products.pageInfo);
      after = products?.pageInfo.hasNextPage ? products.pageInfo.endCursor : null;
    } while (after);
    expect(titles).toHaveLength(12);
    expect(new Set(titles).size).toBe(12);
    expect(pages.map((info) => [info.hasPreviousPage, info.hasNextPage])).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    const back = await adminGraphql<Page>(sim, token, `query Back($before: String) { products(last: 3, before: $before) { edges { node { title } } pageInfo { hasNextPage hasPreviousPage } } }`, {
      before: pages[2]?.startCursor,
    });
    expect(back.body.data?.products.edges.map((edge) => edge.node.title)).toEqual(titles.slice(7, 10));
  });

  it("GIVEN a search query THEN title:, bare terms, status: and sortKey work", async () => {
    const search = async (query: string, extra = "") => {
      const { body } = await adminGraphql<{ products: { nodes: { title: string }[] } }>(
        sim,
        token,
        `query Search($query: String) { products(first: 50, query: $query${extra}) { nodes { title } } }`,
        { query },
      );
      return body.data?.products.nodes.map((node) => node.title) ?? [];
    };
    expect(await search("title:mug")).toEqual(["Ceramic Coffee Mug"]);
    expect(await search("lamp")).toEqual(["Brass Desk Lamp"]);
    expect(await search("status:draft")).toEqual(["Potted Snake Plant"]);
    expect(await search("vendor:Greenroom -status:draft")).toEqual(["Stoneware Vase"]);
    expect(await search("title:mug OR title:vase")).toEqual(["Ceramic Coffee Mug", "Stoneware Vase"]);
    const sorted = await search("", ", sortKey: TITLE");
    expect(sorted).toEqual([...sorted].sort((a, b) => a.localeCompare(b)));
  });
});

const SET = `mutation Set($id: ID!, $input: ProductSetInput!) {
  productSet(identifier: { id: $id }, input: $input) {
    product { id title media(first: 20) { nodes { ... on MediaImage { id alt status } } } }
    userErrors { field message code }
  }
}`;

describe("productSet", () => {
  it("GIVEN files by id and by originalSource THEN the gallery becomes exactly those, in that order, re-alted; others are dropped", async () => {
    const id = mug();
    const [first, second, third] = await gallery(id);
    expect(third).toBeDefined();
    const { body } = await adminGraphql<{ productSet: { product: Gallery["product"]; userErrors: unknown[] } }>(sim, token, SET, {
      id,
      input: {
        files: [
          { id: third?.id, alt: "Mug, close-up" },
          { originalSource: `${images.url}/generated/studio.jpg`, alt: "Mug in a studio", contentType: "IMAGE" },
          { id: first?.id },
        ],
      },
    });
    expect(body.data?.productSet.userErrors).toEqual([]);
    const nodes = body.data?.productSet.product?.media.nodes ?? [];
    expect(nodes.map((node) => node.id)).toEqual([third?.id, nodes[1]?.id, first?.id]);
    expect(nodes.map((node) => node.alt)).toEqual(["Mug, close-up", "Mug in a studio", first?.alt]);
    expect(nodes[1]?.status).toBe("UPLOADED");
    expect(nodes.map((node) => node.id)).not.toContain(second?.id);
    const ready = await waitFor(async () => ((await gallery(id))[1]?.status === "READY" ? true : undefined));
    expect(ready).toBe(true);
  });

  it("GIVEN input without files THEN the gallery is left unchanged (omitted fields are not updated)", async () => {
    const id = mug();
    const before = await gallery(id);
    const { body } = await adminGraphql<{ productSet: { product: { title: string } & Gallery["product"] } }>(sim, token, SET, { id, input: { title: "Ceramic Coffee Mug (12 oz)" } });
    expect(body.data?.productSet.product?.title).toBe("Ceramic Coffee Mug (12 oz)");
    expect(await gallery(id)).toEqual(before);
  });

  it("GIVEN files: [] THEN all media are removed from the product", async () => {
    const id = mug();
    await adminGraphql(sim, token, SET, { id, input: { files: [] } });
    expect(await gallery(id)).toEqual([]);
  });

  it("GIVEN an unknown product or file id THEN userErrors and nothing changes", async () => {
    const missing = await adminGraphql<{ productSet: { product: null; userErrors: unknown[] } }>(sim, token, SET, { id: "gid://shopify/Product/1", input: { files: [] } });
    expect(missing.body.data?.productSet).toEqual({ product: null, userErrors: [{ field: ["identifier", "id"], message: "Product does not exist", code: "PRODUCT_DOES_NOT_EXIST" }] });
    const id = mug();
    const before = await gallery(id);
    const badFile = await adminGraphql<{ productSet: { userErrors: { field: string[] }[] } }>(sim, token, SET, {
      id,
      input: { files: [{ id: "gid://shopify/MediaImage/1" }] },
    });
    expect(badFile.body.data?.productSet.userErrors[0]?.field).toEqual(["input", "files", "0", "id"]);
    expect(await gallery(id)).toEqual(before);
  });

  it("GIVEN the deprecated input.id THEN validation refuses it (use identifier)", async () => {
    const { body } = await adminGraphql(sim, token, `mutation { productSet(input: { id: "gid://shopify/Product/1", files: [] }) { product { id } } }`);
    expect(firstErrorCode(body)).toBe("deprecatedInputField");
  });
});

describe("productReorderMedia", () => {
  const REORDER = `mutation Reorder($id: ID!, $moves: [MoveInput!]!) {
    productReorderMedia(id: $id, moves: $moves) { job { id done } mediaUserErrors { field message code } }
  }`;

  it("GIVEN moves THEN a Job that is not done yet; when done the order follows the moves (applied in order)", async () => {
    const id = mug();
    const [a, b, c] = (await gallery(id)).map((node) => node.id);
    const { body } = await adminGraphql<{ productReorderMedia: { job: { id: string; done: boolean }; mediaUserErrors: unknown[] } }>(sim, token, REORDER, {
      id,
      moves: [
        { id: c, newPosition: "0" },
        { id: a, newPosition: "99" },
      ],
    });
    const job = body.data?.productReorderMedia.job;
    expect(body.data?.productReorderMedia.mediaUserErrors).toEqual([]);
    expect(job?.id).toMatch(/^gid:\/\/shopify\/Job\/[0-9a-f-]{36}$/);
    expect(job?.done).toBe(false);
    expect((await gallery(id)).map((node) => node.id)).toEqual([a, b, c]);

    const done = await waitFor(async () => {
      const { body: polled } = await adminGraphql<{ job: { done: boolean; query: { shop: { name: string } } } }>(sim, token, `query Job($id: ID!) { job(id: $id) { done query { shop { name } } } }`, {
        id: job?.id,
      });
      return polled.data?.job.done ? polled.data.job : undefined;
    });
    expect(done.query.shop.name).toBe("Lightbox Demo");
    // [a,b,c] -> c to 0: [c,a,b] -> a to the end: [c,b,a]
    expect((await gallery(id)).map((node) => node.id)).toEqual([c, b, a]);
  });

  it("GIVEN a media id not on the product THEN mediaUserErrors and no job", async () => {
    const { body } = await adminGraphql<{ productReorderMedia: unknown }>(sim, token, REORDER, { id: mug(), moves: [{ id: "gid://shopify/MediaImage/1", newPosition: "0" }] });
    expect(body.data?.productReorderMedia).toEqual({
      job: null,
      mediaUserErrors: [{ field: ["moves", "0", "id"], message: "Media gid://shopify/MediaImage/1 does not exist on this product", code: "MEDIA_DOES_NOT_EXIST_ON_PRODUCT" }],
    });
  });
});
