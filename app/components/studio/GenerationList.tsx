import { BlockStack } from "@shopify/polaris";

import { GenerationCard } from "~/components/GenerationCard";
import type { GenerationView } from "~/generation/generation-view.server";
import type { StudioData } from "~/generation/studio.server";

import type { StudioOptions } from "./StudioOptionsForm";

/**
 * The shop's latest generations, newest first, led by the ones started from this page that the
 * loader has not returned yet (shown queued with the options they were started with).
 */
export function GenerationList(props: {
  generations: GenerationView[];
  started: string[];
  provider: StudioData["provider"]["kind"];
  options: StudioOptions;
  price: number;
  onRefined: (generationId: string) => void;
}) {
  const { generations, options } = props;
  const queued = (id: string): GenerationView => ({
    id,
    status: "queued",
    progress: 0,
    secondsLeft: null,
    provider: props.provider,
    model: options.model,
    presetId: options.presetId,
    instruction: null,
    aspectRatio: options.aspectRatio,
    resolution: options.resolution,
    variants: Number(options.variants),
    creditsCharged: props.price,
    errorMessage: null,
    parentAssetId: null,
    createdAt: new Date().toISOString(),
    sources: [],
    outputs: [],
    fidelityPending: false,
    freeRegenerate: false,
  });
  // One list, so a card keeps its state when the loader catches up with it.
  const cards = [...props.started.filter((id) => !generations.some((g) => g.id === id)).map(queued), ...generations];
  return (
    <BlockStack gap="300">
      {cards.map((generation) => (
        <GenerationCard key={generation.id} generation={generation} onRefined={props.onRefined} />
      ))}
    </BlockStack>
  );
}
