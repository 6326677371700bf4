import { Button, Card } from "@shopify/polaris";
import { useState } from "react";

import { ConfirmBanner } from "~/components/ConfirmBanner";

/** "Delete all data", behind a confirmation. */
export function DeleteDataCard({ busy }: { busy: boolean }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <Card>
      {confirming ? (
        <ConfirmBanner tone="critical" title="Delete all Lightbox data for this shop?" intent="delete-all" confirm="Delete everything" busy={busy} onCancel={() => setConfirming(false)}>
          <p>This cannot be undone.</p>
        </ConfirmBanner>
      ) : (
        <Button tone="critical" onClick={() => setConfirming(true)}>
          Delete all data
        </Button>
      )}
    </Card>
  );
}
