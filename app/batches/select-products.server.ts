// Which products a batch covers: the chosen ones (looked up, so a deleted or foreign id is
// dropped, not guessed), or the catalogue narrowed by Shopify's product search and, optionally,
// to products Lightbox has made no image for yet.
import type { Db } from "~/db.server";
import { AppError } from "~/errors";
import type { PacedClient } from "~/shopify-admin/paced-client.server";

import { MAX_BATCH_PRODUCTS, type BatchSelection } from "./batch-input";

export type SelectedProduct = { id: string; title: string; imageUrl: string | null; hasImage: boolean };

export const BATCH_PRODUCT_NODES_QUERY = `#graphql
  query LightboxBatchProductNodes($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        title
        featuredMedia {
          preview {
            image {
              url(transform: { maxWidth: 240, maxHeight: 240 })
            }
          }
        }
      }
    }
  }
`;

export const BATCH_PRODUCT_SEARCH_QUERY = `#graphql
  query LightboxBatchProductSearch($after: String, $query: String) {
    products(first: 200, after: $after, query: $query, sortKey: TITLE) {
      nodes {
        id
        title
        featuredMedia {
          preview {
            image {
              url(transform: { maxWidth: 240, maxHeight: 240 })
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

type ProductNode = { id?: string; title?: string; featuredMedia: { preview: { image: { url: string } | null } | null } | null };

const toSelected = (node: ProductNode): SelectedProduct => {
  const imageUrl = node.featuredMedia?.preview?.image?.url ?? null;
  return { id: node.id!, title: node.title ?? "", imageUrl, hasImage: imageUrl !== null };
};

/** A search value as Shopify's query syntax wants it (quoted, without characters it would parse). */
const quoted = (value: string) => `"${value.replace(/["\\]/g, " ").trim()}"`;

export function productSearchQuery(selection: Extract<BatchSelection, { kind: "filter" }>): string | null {
  const terms = [
    selection.search ? `title:*${selection.search.replace(/[\\"*:()]/g, " ").trim()}*` : null,
    selection.productType ? `product_type:${quoted(selection.productType)}` : null,
    selection.vendor ? `vendor:${quoted(selection.vendor)}` : null,
    selection.tag ? `tag:${quoted(selection.tag)}` : null,
    selection.status ? `status:${selection.status.toLowerCase()}` : null,
  ].filter(Boolean);
  return terms.length > 0 ? terms.join(" AND ") : null;
}

export async function selectProducts(client: PacedClient, db: Db, shopId: string, selection: BatchSelection): Promise<SelectedProduct[]> {
  let products: SelectedProduct[] = [];
  if (selection.kind === "products") {
    for (let i = 0; i < selection.productIds.length; i += 100) {
      const ids = selection.productIds.slice(i, i + 100);
      const data = await client.request<{ nodes: Array<ProductNode | null> }>(BATCH_PRODUCT_NODES_QUERY, { ids });
      products.push(...data.nodes.filter((node): node is ProductNode => Boolean(node?.id)).map(toSelected));
    }
  } else {
    const query = productSearchQuery(selection);
    let after: string | null = null;
    for (;;) {
      const data: { products: { nodes: ProductNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await client.request(
        BATCH_PRODUCT_SEARCH_QUERY,
        { after, query },
      );
      products.push(...data.products.nodes.map(toSelected));
      if (!data.products.pageInfo.hasNextPage || products.length > MAX_BATCH_PRODUCTS * 2) break;
      after = data.products.pageInfo.endCursor;
    }
    if (selection.withoutLightboxImages) {
      const made = await db.asset.findMany({
        where: { shopId, kind: "generated", productId: { in: products.map((p) => p.id) } },
        select: { productId: true },
        distinct: ["productId"],
      });
      const done = new Set(made.map((row) => row.productId));
      products = products.filter((product) => !done.has(product.id));
    }
  }
  if (products.length > MAX_BATCH_PRODUCTS) {
    throw new AppError(
      "UNPROCESSABLE",
      `These filters match more than ${MAX_BATCH_PRODUCTS} products. A batch takes at most ${MAX_BATCH_PRODUCTS}: narrow the filters (e.g. by vendor or product type) and run several batches.`,
      { fieldErrors: { selection: `At most ${MAX_BATCH_PRODUCTS} products` } },
    );
  }
  return products;
}
