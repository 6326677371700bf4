// Makes a product's gallery exactly a given list of existing media, in order, with their alt
// text: productSet(identifier: {id}, input: { files }). `files` is a list field, so Shopify keeps
// the listed files (by id), drops the product's other media from it and leaves every field we do
// not send (title, variants, options ...) unchanged. Dropped media stay in the store's Files, so
// they can be listed again later (that is how revert restores a replaced image). Every entry
// carries `alt` explicitly, so nothing depends on what an omitted alt would do.
// See docs/decisions/0052-revert-with-productset.md.
import type { PacedClient } from "~/shopify-admin/paced-client.server";

import { PublishError } from "./errors";

export const SET_GALLERY_MUTATION = `#graphql
  mutation LightboxSetGallery($id: ID!, $files: [FileSetInput!]) {
    productSet(identifier: { id: $id }, input: { files: $files }) {
      product {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

type SetGalleryData = {
  productSet: {
    product: { id: string } | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  } | null;
};

export type GalleryEntry = { id: string; alt: string };

/** Sets the product's media to exactly `entries` (by id, in order, with their alt text). */
export async function setGallery(client: PacedClient, productId: string, entries: GalleryEntry[]): Promise<void> {
  // Listing the same existing files again gives the same gallery: safe to retry after a 5xx.
  const data = await client.request<SetGalleryData>(
    SET_GALLERY_MUTATION,
    { id: productId, files: entries.map((entry) => ({ id: entry.id, alt: entry.alt })) },
    { idempotent: true },
  );
  const payload = data.productSet;
  if (!payload || payload.userErrors.length > 0 || !payload.product) {
    const message = payload?.userErrors.map((error) => error.message).join("; ") || "the product was not found";
    throw new PublishError(`Shopify did not accept the new order of the product's images: ${message}.`, { retryable: false });
  }
}
