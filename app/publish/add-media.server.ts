// Adds one image to a product's media: productUpdate(product: {id}, media: [CreateMediaInput]).
// Shopify fetches `originalSource` itself, asynchronously: the new media starts UPLOADED and
// must be watched until READY or FAILED (wait-for-media.server.ts).
import type { PacedClient } from "~/shopify-admin/paced-client.server";

import { PublishError } from "./errors";

// The payload lists the product's last media: ours is appended at the end, and comparing with the
// ids known before the call tells which one it is (productUpdate does not name created media).
export const ADD_MEDIA_MUTATION = `#graphql
  mutation LightboxAddMedia($product: ProductUpdateInput!, $media: [CreateMediaInput!]) {
    productUpdate(product: $product, media: $media) {
      product {
        id
        media(last: 5) {
          nodes {
            id
            alt
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

type AddMediaData = {
  productUpdate: {
    product: { id: string; media: { nodes: Array<{ id: string; alt: string | null }> } } | null;
    userErrors: Array<{ field: string[] | null; message: string }>;
  };
};

export type AddMediaInput = {
  productId: string;
  /** A URL Shopify can download the image from (a short-lived presigned URL). */
  source: string;
  alt: string;
  /** Media ids on the product just before the call (to recognise the new one). */
  knownMediaIds: ReadonlySet<string>;
};

/**
 * Returns the new media's id, or null when Shopify accepted the image but the answer did not let
 * us tell which media it created (the caller then looks for it in the gallery).
 * Not idempotent: never retried blindly (see docs/decisions/0051).
 */
export async function addMedia(client: PacedClient, input: AddMediaInput): Promise<string | null> {
  const data = await client.request<AddMediaData>(ADD_MEDIA_MUTATION, {
    product: { id: input.productId },
    media: [{ originalSource: input.source, alt: input.alt, mediaContentType: "IMAGE" }],
  });
  const { product, userErrors } = data.productUpdate;
  if (userErrors.length > 0 || !product) {
    const message = userErrors.map((error) => error.message).join("; ") || "the product was not found";
    throw new PublishError(`Shopify did not accept the image: ${message}.`, { retryable: false });
  }
  const fresh = product.media.nodes.filter((node) => !input.knownMediaIds.has(node.id));
  const mine = fresh.filter((node) => (node.alt ?? "") === input.alt);
  return (mine.at(-1) ?? (fresh.length === 1 ? fresh[0] : undefined))?.id ?? null;
}
