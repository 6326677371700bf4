// A product's gallery as Shopify has it now: media in order with alt text and processing status.
import type { PacedClient } from "~/shopify-admin/paced-client.server";

// 100 per page keeps the requested cost near 100 points (2 + 100 x 1); a product can hold 250.
export const GALLERY_QUERY = `#graphql
  query LightboxGallery($id: ID!, $after: String) {
    product(id: $id) {
      id
      title
      media(first: 100, after: $after) {
        nodes {
          id
          alt
          status
          mediaContentType
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

// The product page also shows thumbnails and processing errors: a dearer document, 50 per page.
export const GALLERY_WITH_PREVIEWS_QUERY = `#graphql
  query LightboxGalleryPreviews($id: ID!, $after: String) {
    product(id: $id) {
      id
      title
      media(first: 50, after: $after) {
        nodes {
          id
          alt
          status
          mediaContentType
          mediaErrors {
            code
            message
          }
          preview {
            image {
              url(transform: { maxWidth: 320, maxHeight: 320 })
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

type MediaNode = {
  id: string;
  alt: string | null;
  status: string;
  mediaContentType: string;
  mediaErrors?: Array<{ code: string; message: string }>;
  preview?: { image: { url: string } | null } | null;
};

type GalleryData = {
  product: {
    id: string;
    title: string;
    media: { nodes: MediaNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
};

export type GalleryMedia = {
  id: string;
  alt: string;
  /** UPLOADED, PROCESSING, READY or FAILED. */
  status: string;
  mediaContentType: string;
  errors: Array<{ code: string; message: string }>;
  previewUrl: string | null;
};

export type Gallery = { productId: string; title: string; media: GalleryMedia[] };

/** The product's media in gallery order, or null when the product does not exist. */
export async function readGallery(client: PacedClient, productId: string, options: { previews?: boolean } = {}): Promise<Gallery | null> {
  const query = options.previews ? GALLERY_WITH_PREVIEWS_QUERY : GALLERY_QUERY;
  const media: GalleryMedia[] = [];
  let title = "";
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const data: GalleryData = await client.request<GalleryData>(query, { id: productId, after });
    if (!data.product) return null;
    title = data.product.title;
    for (const node of data.product.media.nodes) {
      media.push({
        id: node.id,
        alt: node.alt ?? "",
        status: node.status,
        mediaContentType: node.mediaContentType,
        errors: node.mediaErrors ?? [],
        previewUrl: node.preview?.image?.url ?? null,
      });
    }
    if (!data.product.media.pageInfo.hasNextPage) break;
    after = data.product.media.pageInfo.endCursor;
  }
  return { productId, title, media };
}
