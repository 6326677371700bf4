import { useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Box, DropZone, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useCallback, useState } from "react";

import { ACCEPTED_UPLOAD_TYPES, MAX_UPLOAD_BYTES } from "~/assets/upload-limits";

type Upload = { key: string; name: string; progress: number; state: "uploading" | "done" | "duplicate" | "error"; message?: string };

/** Sends one file with XMLHttpRequest so the merchant sees real upload progress. */
function send(file: File, url: string, token: string, onProgress: (pct: number) => void) {
  return new Promise<{ status: number; body: { error?: { detail: string } } }>((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress((event.loaded / event.total) * 100);
    xhr.onload = () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { error: { detail: `Upload failed (HTTP ${xhr.status}). Try again.` } };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => resolve({ status: 0, body: { error: { detail: "The connection dropped during the upload. Try again." } } });
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

export function UploadDropZone({ onUploaded, productId }: { onUploaded: () => void; productId?: string }) {
  const shopify = useAppBridge();
  const [uploads, setUploads] = useState<Upload[]>([]);

  const update = (key: string, patch: Partial<Upload>) =>
    setUploads((all) => all.map((upload) => (upload.key === key ? { ...upload, ...patch } : upload)));

  const handleDrop = useCallback(
    async (files: File[]) => {
      const batch = files.map((file, i) => ({ file, key: `${Date.now()}-${i}-${file.name}` }));
      setUploads((all) => [
        ...batch.map(({ file, key }) => ({ key, name: file.name, progress: 0, state: "uploading" as const })),
        ...all,
      ]);
      await Promise.all(
        batch.map(async ({ file, key }) => {
          if (file.size > MAX_UPLOAD_BYTES) {
            update(key, {
              state: "error",
              message: `${file.name} is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Resize or compress it and try again.`,
            });
            return;
          }
          try {
            const token = await shopify.idToken();
            const url = `/app/uploads${productId ? `?productId=${encodeURIComponent(productId)}` : ""}`;
            const { status, body } = await send(file, url, token, (progress) => update(key, { progress }));
            if (status === 200 || status === 201) {
              update(key, { state: status === 200 ? "duplicate" : "done", progress: 100 });
              onUploaded();
            } else {
              update(key, { state: "error", message: body.error?.detail ?? `Upload failed (HTTP ${status}).` });
            }
          } catch {
            // No session token or no network: say so instead of leaving the row at 0%.
            update(key, { state: "error", message: `${file.name} could not be sent (connection lost). Check your connection and try again.` });
          }
        }),
      );
    },
    [shopify, onUploaded, productId],
  );

  return (
    <BlockStack gap="300">
      <DropZone accept={ACCEPTED_UPLOAD_TYPES} type="image" onDrop={(_all, accepted, rejected) => void handleDrop([...accepted, ...rejected])}>
        <DropZone.FileUpload actionTitle="Add photos" actionHint="JPEG, PNG or WebP, up to 25 MB and 50 megapixels" />
      </DropZone>
      {uploads.map((upload) => (
        <Box key={upload.key} padding="200" background={upload.state === "error" ? "bg-surface-critical" : "bg-surface-secondary"} borderRadius="200">
          <BlockStack gap="100">
            <InlineStack align="space-between">
              <Text as="span" variant="bodySm" fontWeight="semibold">
                {upload.name}
              </Text>
              <Text as="span" variant="bodySm" tone={upload.state === "error" ? "critical" : "subdued"}>
                {upload.state === "uploading"
                  ? `${Math.round(upload.progress)}%`
                  : upload.state === "done"
                    ? "Added"
                    : upload.state === "duplicate"
                      ? "Already in your library"
                      : "Not added"}
              </Text>
            </InlineStack>
            {upload.state === "error" ? (
              <Text as="p" variant="bodySm" tone="critical">
                {upload.message}
              </Text>
            ) : (
              <ProgressBar progress={upload.progress} size="small" tone={upload.state === "uploading" ? "highlight" : "success"} />
            )}
          </BlockStack>
        </Box>
      ))}
    </BlockStack>
  );
}
