import { useFetcher } from "@remix-run/react";
import { TextField } from "@shopify/polaris";
import { useEffect, useRef } from "react";

import { MAX_ALT_TEXT_LENGTH } from "~/publish/publish-input";

/** Alt text, pre-filled with the image provider's suggestion; the merchant can change it. */
export function AltTextField(props: { productNumericId: string; productTitle: string; assetId: string; value: string; onChange: (value: string) => void }) {
  const suggestion = useFetcher<{ altText?: string; error?: { detail: string } }>();
  const { value, onChange, productNumericId, productTitle, assetId } = props;
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current || value) return;
    asked.current = true;
    suggestion.load(`/app/products/${productNumericId}/alt-text?${new URLSearchParams({ assetId, title: productTitle })}`);
  }, [value, suggestion, productNumericId, productTitle, assetId]);
  const suggested = suggestion.data?.altText;
  useEffect(() => {
    if (suggested && !value) onChange(suggested);
    // Only when a suggestion arrives; typing must not bring it back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [suggested]);
  const loading = suggestion.state !== "idle" && !value;
  return (
    <TextField
      label="Alt text"
      value={value}
      onChange={onChange}
      multiline={2}
      maxLength={MAX_ALT_TEXT_LENGTH}
      autoComplete="off"
      placeholder={loading ? "Writing a description…" : "Describe the image for shoppers who can't see it"}
      helpText={suggestion.data?.error ? `No suggestion: ${suggestion.data.error.detail}` : "Read by screen readers and search engines. Suggested by Lightbox; edit it as you like."}
      error={!loading && value.trim() === "" && suggestion.state === "idle" && suggestion.data ? "Alt text is required." : undefined}
    />
  );
}
