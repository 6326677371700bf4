// "Generate images with Lightbox": the products list's bulk action. Shows what a batch over the
// selected products would cost (credits, or billed to the shop's Gemini key, or the offline
// compositor), lets the merchant pick a style and whether results wait for review, then starts the
// batch and links to its review page in the app. Backend: POST /api/extensions/batches[/preview].
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { appLink, callBackend, type BackendError } from "../../shared/backend";

type OnResult = "review" | "publish";

/** The part of the backend's BatchQuote this UI reads (app/batches/quote-batch.server.ts). */
type Quote = {
  billing: "credits" | "own_key" | "offline";
  products: number;
  imagesPerProduct: number;
  withoutPhoto: number;
  totalCredits: number;
  balance: number;
  balanceAfter: number;
  covered: number;
  estimatedSeconds: number;
};

type Preview = {
  selection: string;
  quote: Quote;
  settings: { presetId: string; onResult: OnResult };
  presets: Array<{ id: string; name: string; description: string }>;
};

type Started = { batch: { id: string; totalItems: number; onResult: OnResult }; reviewPath: string };

export default async () => {
  render(<BulkGenerate productIds={shopify.data.selected.map((item) => item.id)} />, document.body);
};

function BulkGenerate({ productIds }: { productIds: string[] }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [presetId, setPresetId] = useState<string | null>(null);
  const [onResult, setOnResult] = useState<OnResult>("review");
  const [error, setError] = useState<BackendError | null>(null);
  const [starting, setStarting] = useState(false);
  const [started, setStarted] = useState<Started | null>(null);

  useEffect(() => {
    let current = true;
    void callBackend<Preview>("/api/extensions/batches/preview", { productIds }).then((result) => {
      if (!current) return;
      if (!result.ok) return setError(result.error);
      setPreview(result.data);
      setPresetId(result.data.settings.presetId);
    });
    return () => {
      current = false;
    };
  }, [productIds]);

  async function start() {
    setStarting(true);
    setError(null);
    const result = await callBackend<Started>("/api/extensions/batches", { productIds, presetId, onResult });
    setStarting(false);
    if (result.ok) setStarted(result.data);
    else setError(result.error);
  }

  const canStart = preview !== null && preview.quote.products > 0 && preview.quote.covered > 0 && !started;
  return (
    <s-admin-action heading="Generate images with Lightbox" loading={!preview && !error}>
      <s-stack gap="base">
        {error ? <ErrorBanner error={error} /> : null}
        {started ? <StartedBatch started={started} /> : null}
        {preview && !started ? (
          <PreviewDetails preview={preview} presetId={presetId} onResult={onResult} onPreset={setPresetId} onResultChange={setOnResult} />
        ) : null}
      </s-stack>
      {started ? (
        <s-button slot="primary-action" variant="primary" href={appLink(started.reviewPath)}>
          Open review page
        </s-button>
      ) : (
        <s-button slot="primary-action" variant="primary" disabled={!canStart} loading={starting} onClick={() => void start()}>
          Start batch
        </s-button>
      )}
      <s-button slot="secondary-actions" onClick={() => shopify.close()}>
        {started ? "Close" : "Cancel"}
      </s-button>
    </s-admin-action>
  );
}

function PreviewDetails(props: {
  preview: Preview;
  presetId: string | null;
  onResult: OnResult;
  onPreset: (id: string) => void;
  onResultChange: (value: OnResult) => void;
}) {
  const { quote } = props.preview;
  const images = quote.products * quote.imagesPerProduct;
  return (
    <s-stack gap="base">
      <s-section heading="Cost preview">
        <s-stack gap="small-200">
          <s-text>
            {plural(quote.products, "product")} · {plural(images, "image")}
          </s-text>
          <Cost quote={quote} />
          <s-text color="subdued">Estimated time: {duration(quote.estimatedSeconds)}</s-text>
          {quote.withoutPhoto > 0 ? (
            <s-text color="subdued">
              {plural(quote.withoutPhoto, "selected product")} {quote.withoutPhoto === 1 ? "has" : "have"} no photo to start from and{" "}
              {quote.withoutPhoto === 1 ? "is" : "are"} left out.
            </s-text>
          ) : null}
        </s-stack>
      </s-section>
      {quote.products === 0 ? (
        <s-banner tone="warning" heading="Nothing to make">
          None of the selected products has a photo to start from. Add product photos in Shopify first.
        </s-banner>
      ) : null}
      {quote.billing === "credits" && quote.covered < quote.products ? (
        <s-banner tone={quote.covered === 0 ? "critical" : "warning"} heading="Not enough credits">
          <s-paragraph>
            {quote.covered === 0
              ? `This needs ${quote.totalCredits} credits and the shop has ${quote.balance}.`
              : `Your balance covers ${quote.covered} of ${quote.products} products; the batch pauses when the credits run out.`}{" "}
            <s-link href={appLink("/app/plans")}>Buy credits on the Plans page</s-link>
          </s-paragraph>
        </s-banner>
      ) : null}
      <s-select label="Style" value={props.presetId ?? undefined} onChange={(event) => props.onPreset(event.currentTarget.value)}>
        {props.preview.presets.map((preset) => (
          <s-option key={preset.id} value={preset.id}>
            {preset.name}
          </s-option>
        ))}
      </s-select>
      <s-choice-list
        label="When an image is ready"
        name="onResult"
        values={[props.onResult]}
        onChange={(event) => props.onResultChange(event.currentTarget.values[0] === "publish" ? "publish" : "review")}
      >
        <s-choice value="review">Review first (approve on the batch's page, then publish)</s-choice>
        <s-choice value="publish">Publish automatically</s-choice>
      </s-choice-list>
    </s-stack>
  );
}

function Cost({ quote }: { quote: Quote }) {
  if (quote.billing === "offline") return <s-text>Free: offline compositor, no AI (Gemini is not set up)</s-text>;
  if (quote.billing === "own_key") return <s-text>Billed to your Gemini API key: no Lightbox credits</s-text>;
  return (
    <s-text>
      {plural(quote.totalCredits, "credit")} · balance {quote.balance} → {Math.max(quote.balance - quote.totalCredits, quote.balanceAfter)} after
    </s-text>
  );
}

function StartedBatch({ started }: { started: Started }) {
  return (
    <s-banner tone="success" heading="Batch started">
      <s-paragraph>
        Lightbox is making images for {plural(started.batch.totalItems, "product")}.{" "}
        {started.batch.onResult === "review" ? "Approve them on the batch's review page." : "They are published as they are ready."}{" "}
        <s-link href={appLink(started.reviewPath)}>Open the batch's review page</s-link>
      </s-paragraph>
    </s-banner>
  );
}

function ErrorBanner({ error }: { error: BackendError }) {
  const credits = error.status === 402;
  return (
    <s-banner tone="critical" heading={error.title}>
      <s-paragraph>
        {error.detail}
        {credits ? (
          <>
            {" "}
            <s-link href={appLink("/app/plans")}>See plans and credit packs</s-link>
          </>
        ) : null}
      </s-paragraph>
    </s-banner>
  );
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

function duration(seconds: number): string {
  if (seconds < 60) return "under a minute";
  if (seconds < 90 * 60) return `about ${plural(Math.round(seconds / 60), "minute")}`;
  return `about ${Math.round(seconds / 360) / 10} hours`;
}
