import { BlockStack, Modal } from "@shopify/polaris";

import type { ProductPageData } from "~/publish/product-page.server";

/** "Revert to the original gallery?": what the product gets back, and what happens to Lightbox's images. */
export function RevertModal(props: { open: boolean; snapshot: ProductPageData["snapshot"]; submitting: boolean; onClose: () => void; onRevert: () => void }) {
  const { snapshot } = props;
  return (
    <Modal
      open={props.open}
      onClose={props.onClose}
      title="Revert to the original gallery?"
      primaryAction={{ content: "Revert", destructive: true, loading: props.submitting, onAction: props.onRevert }}
      secondaryActions={[{ content: "Cancel", onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="200">
          <p>
            The product gets back exactly the {snapshot?.mediaCount === 1 ? "image" : `${snapshot?.mediaCount ?? 0} images`} it had
            {snapshot ? ` on ${new Date(snapshot.takenAt).toLocaleString()}` : ""}, in the same order and with the same alt text.
          </p>
          <p>Images Lightbox added are taken off the product (they stay in your Lightbox library). Images you added in Shopify since are kept.</p>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
