// "Open in Lightbox" on a product's page: what Lightbox made for this product (images generated,
// on the product, waiting for review) and a button into the Studio for it.
// Backend: GET /api/extensions/products/:productId.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { appLink, callBackend, type BackendError } from "../../shared/backend";

type Status = { productId: string; generated: number; published: number; publishing: number; failed: number; inReview: number; studioPath: string };

export default async () => {
  render(<StudioAction productId={shopify.data.selected[0]?.id ?? ""} />, document.body);
};

function StudioAction({ productId }: { productId: string }) {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<BackendError | null>(null);

  useEffect(() => {
    let current = true;
    void callBackend<Status>(`/api/extensions/products/${encodeURIComponent(productId)}`).then((result) => {
      if (!current) return;
      if (result.ok) setStatus(result.data);
      else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, [productId]);

  const studioPath = status?.studioPath ?? `/app/studio?productId=${encodeURIComponent(productId)}`;
  return (
    <s-admin-action heading="Lightbox" loading={!status && !error}>
      {error ? (
        <s-banner tone="critical" heading={error.title}>
          {error.detail}
        </s-banner>
      ) : null}
      {status ? <Summary status={status} /> : null}
      <s-button slot="primary-action" variant="primary" href={appLink(studioPath)}>
        Open the Studio
      </s-button>
      <s-button slot="secondary-actions" onClick={() => shopify.close()}>
        Close
      </s-button>
    </s-admin-action>
  );
}

function Summary({ status }: { status: Status }) {
  if (status.generated === 0 && status.published === 0) {
    return <s-paragraph>No Lightbox images for this product yet. Open the Studio to make studio and lifestyle shots from its photos.</s-paragraph>;
  }
  return (
    <s-stack gap="small-200">
      <s-text>{count(status.generated, "image")} generated</s-text>
      <s-text>{count(status.published, "image")} published on this product</s-text>
      {status.publishing > 0 ? <s-text>{count(status.publishing, "image")} being published</s-text> : null}
      {status.inReview > 0 ? <s-text>{count(status.inReview, "batch result")} waiting for your review</s-text> : null}
      {status.failed > 0 ? <s-text tone="critical">{count(status.failed, "image")} could not be published</s-text> : null}
    </s-stack>
  );
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
