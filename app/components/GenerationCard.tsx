import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, ProgressBar, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

import type { GenerationView, ImageView, OutputView } from "~/generation/generation-view.server";

import { FidelityFlag } from "./FidelityFlag";

const DONE = new Set(["succeeded", "failed"]);

/**
 * Polls a running generation until it ends (and its fidelity check has landed); shows progress,
 * then the results beside the source.
 * One request at a time (the next is scheduled when the last has answered); a generation that is
 * gone (deleted elsewhere) stops the polling, and repeated failures say so instead of spinning.
 */
function useLiveGeneration(initial: GenerationView) {
  const [view, setView] = useState(initial);
  const [trouble, setTrouble] = useState<"gone" | "unreachable" | null>(null);
  useEffect(() => {
    if ((DONE.has(view.status) && !view.fidelityPending) || trouble === "gone") return;
    let cancelled = false;
    let failures = 0;
    let waitingForCheck = DONE.has(view.status);
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const response = await fetch(`/app/generations/${view.id}`, { headers: { Accept: "application/json" } });
        if (cancelled) return;
        if (response.status === 404) return setTrouble("gone");
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        failures = 0;
        setTrouble(null);
        const next = (await response.json()) as GenerationView;
        if (cancelled) return;
        setView(next);
        if (DONE.has(next.status) && !next.fidelityPending) return;
        // Ended, waiting only for the fidelity check: ask less often.
        waitingForCheck = DONE.has(next.status);
      } catch {
        if (cancelled) return;
        failures++;
        if (failures >= 5) setTrouble("unreachable");
      }
      timer = setTimeout(poll, Math.min(10_000, (waitingForCheck ? 2_000 : 1_000) * 2 ** Math.max(0, failures - 1)));
    };
    timer = setTimeout(poll, 1_000);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [view.id, view.status, view.fidelityPending, trouble]);
  return { view, trouble };
}

function Picture({ image, label }: { image: ImageView; label: string }) {
  return (
    <BlockStack gap="100">
      <img src={image.displayUrl} alt={label} style={{ width: "100%", borderRadius: 8, display: "block", background: "#f1f1f1" }} />
      <Text as="span" variant="bodySm" tone="subdued">
        {label} · {image.width} × {image.height}
      </Text>
    </BlockStack>
  );
}

function OutputActions({ image, onRefined, price }: { image: OutputView; onRefined: (id: string) => void; price: number }) {
  const fetcher = useFetcher<{ generationId?: string; discarded?: string; error?: { detail: string } }>();
  const [instruction, setInstruction] = useState("");
  const [kept, setKept] = useState(false);
  // The field empties on submit, so a second press cannot start (and charge) the same edit again.
  const [submitted, setSubmitted] = useState("");
  useEffect(() => {
    if (fetcher.data?.generationId) onRefined(fetcher.data.generationId);
  }, [fetcher.data, onRefined]);
  const refining = fetcher.data?.generationId && fetcher.state === "idle" ? submitted : null;
  const [freeStarted, setFreeStarted] = useState(false);
  const regeneratedFree = freeStarted && fetcher.state === "idle" && !!fetcher.data?.generationId;
  if (fetcher.data?.discarded) return <Text as="p" tone="subdued">Discarded.</Text>;
  return (
    <BlockStack gap="200">
      <InlineStack gap="200">
        <Button size="slim" pressed={kept} onClick={() => setKept(true)}>
          {kept ? "Kept in library" : "Keep"}
        </Button>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="discard" />
          <input type="hidden" name="assetId" value={image.id} />
          <Button size="slim" tone="critical" submit loading={fetcher.state !== "idle" && fetcher.formData?.get("intent") === "discard"}>
            Discard
          </Button>
        </fetcher.Form>
      </InlineStack>
      {image.fidelity?.canRegenerateFree && !regeneratedFree ? (
        <fetcher.Form method="post" onSubmit={() => setFreeStarted(true)}>
          <input type="hidden" name="intent" value="regenerate-free" />
          <input type="hidden" name="assetId" value={image.id} />
          <Button submit size="slim" variant="primary" loading={fetcher.state !== "idle" && fetcher.formData?.get("intent") === "regenerate-free"}>
            Regenerate free
          </Button>
        </fetcher.Form>
      ) : null}
      {regeneratedFree ? (
        <Text as="p" variant="bodySm" tone="subdued">
          Regenerating free (no credits): the new image appears in a card at the top of the list.
        </Text>
      ) : null}
      <fetcher.Form
        method="post"
        onSubmit={() => {
          setFreeStarted(false);
          setSubmitted(instruction.trim());
          setInstruction("");
        }}
      >
        <input type="hidden" name="intent" value="refine" />
        <input type="hidden" name="assetId" value={image.id} />
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flex: 1 }}>
            <TextField label="Refine" name="instruction" value={instruction} onChange={setInstruction} placeholder="e.g. darker background" autoComplete="off" />
          </div>
          <Button submit disabled={instruction.trim().length < 3} loading={fetcher.state !== "idle" && fetcher.formData?.get("intent") === "refine"}>
            {price > 0 ? `Refine · ${price} credit${price === 1 ? "" : "s"}` : "Refine"}
          </Button>
        </InlineStack>
      </fetcher.Form>
      {refining ? (
        <Text as="p" variant="bodySm" tone="subdued">
          Refining “{refining}”: the new image appears in a card at the top of the list.
        </Text>
      ) : null}
      {fetcher.data?.error ? (
        <Banner tone="critical">{submitted ? `Could not refine “${submitted}”: ${fetcher.data.error.detail}` : fetcher.data.error.detail}</Banner>
      ) : null}
    </BlockStack>
  );
}

export function GenerationCard({ generation, onRefined }: { generation: GenerationView; onRefined: (id: string) => void }) {
  const { view, trouble } = useLiveGeneration(generation);
  const running = !DONE.has(view.status);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {view.instruction ? `Refine: “${view.instruction}”` : `${view.variants} image${view.variants === 1 ? "" : "s"} · ${view.aspectRatio} · ${view.resolution}`}
          </Text>
          <InlineStack gap="200">
            {view.freeRegenerate ? <Badge tone="info">Free regenerate</Badge> : null}
            {view.provider === "offline" ? <Badge>No AI · local compositor</Badge> : <Badge tone="magic">{view.model}</Badge>}
            <Badge tone={view.status === "failed" ? "critical" : view.status === "succeeded" ? "success" : "attention"}>{view.status}</Badge>
          </InlineStack>
        </InlineStack>
        {!running && view.fidelityPending ? (
          <Text as="span" variant="bodySm" tone="subdued">
            Checking that the product looks like the source photo…
          </Text>
        ) : null}
        {running ? (
          <BlockStack gap="100">
            <ProgressBar progress={view.progress} tone="highlight" ariaLabelledBy={`progress-${view.id}`} />
            <Text as="span" id={`progress-${view.id}`} variant="bodySm" tone="subdued">
              {view.status === "queued"
                ? "Waiting to start…"
                : view.secondsLeft !== null
                  ? `Working… ${view.progress}% · about ${view.secondsLeft} s left`
                  : `Working… ${view.progress}% · taking longer than usual`}
            </Text>
          </BlockStack>
        ) : null}
        {trouble === "gone" ? <Banner tone="warning">This generation is no longer in your library (it was deleted elsewhere).</Banner> : null}
        {trouble === "unreachable" && running ? (
          <Banner tone="warning">Lightbox cannot reach the server to check on this generation. It keeps trying; reload the page if this stays.</Banner>
        ) : null}
        {view.errorMessage ? <Banner tone={view.status === "failed" ? "critical" : "warning"}>{view.errorMessage}</Banner> : null}
        {view.outputs.length > 0 ? (
          <InlineGrid columns={{ xs: 1, md: Math.min(4, view.outputs.length + 1) as 1 | 2 | 3 | 4 }} gap="300">
            {view.sources[0] ? <Picture image={view.sources[0]} label="Source" /> : null}
            {view.outputs.map((output, i) => (
              <Box key={output.id}>
                <BlockStack gap="200">
                  <Picture image={output} label={`Result ${i + 1}`} />
                  <FidelityFlag fidelity={output.fidelity} />
                  <OutputActions image={output} onRefined={onRefined} price={view.variants > 0 ? Math.round(view.creditsCharged / view.variants) : 0} />
                </BlockStack>
              </Box>
            ))}
          </InlineGrid>
        ) : null}
      </BlockStack>
    </Card>
  );
}
