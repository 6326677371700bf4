import type { Db } from "~/db.server";
import type { PacedClient } from "~/shopify-admin/paced-client.server";

export const PRODUCTS_QUERY = `#graphql
  query LightboxProducts($first: Int, $last: Int, $after: String, $before: String, $query: String) {
    products(first: $first, last: $last, after: $after, before: $before, query: $query, sortKey: TITLE) {
      nodes {
        id
        title
        handle
        status
        mediaCount {
          count
        }
        featuredMedia {
          preview {
            image {
              url(transform: { maxWidth: 240, maxHeight: 240 })
              altText
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

type ProductsData = {
  products: {
    nodes: Array<{
      id: string;
      title: string;
      handle: string;
      status: string;
      mediaCount: { count: number } | null;
      featuredMedia: { preview: { image: { url: string; altText: string | null } | null } | null } | null;
    }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
};

export type ProductRow = {
  id: string;
  title: string;
  handle: string;
  status: string;
  imageUrl: string | null;
  imageAlt: string | null;
  mediaCount: number;
  generatedCount: number;
};

/** Products per page (fixed: Shopify's cursors are passed through as they are). */
export const PRODUCT_PAGE_SIZE = 20;

/** One page of the shop's products with their featured image and how many Lightbox images each has. */
export async function listProducts(
  client: PacedClient,
  db: Db,
  input: { shopId: string; search?: string; after?: string | null; before?: string | null },
) {
  const search = input.search?.trim();
  const paging = input.before ? { last: PRODUCT_PAGE_SIZE, before: input.before } : { first: PRODUCT_PAGE_SIZE, after: input.after ?? null };
  const data = await client.request<ProductsData>(PRODUCTS_QUERY, {
    ...paging,
    query: search ? `title:*${search.replace(/[\\"*:()]/g, " ").trim()}*` : null,
  });
  const ids = data.products.nodes.map((p) => p.id);
  const counts = await db.asset.groupBy({
    by: ["productId"],
    where: { shopId: input.shopId, kind: "generated", productId: { in: ids } },
    _count: { _all: true },
  });
  const generated = new Map(counts.map((c) => [c.productId, c._count._all]));
  const products: ProductRow[] = data.products.nodes.map((p) => ({
    id: p.id,
    title: p.title,
    handle: p.handle,
    status: p.status,
    imageUrl: p.featuredMedia?.preview?.image?.url ?? null,
    imageAlt: p.featuredMedia?.preview?.image?.altText ?? null,
    mediaCount: p.mediaCount?.count ?? 0,
    generatedCount: generated.get(p.id) ?? 0,
  }));
  return { products, pageInfo: data.products.pageInfo };
}
