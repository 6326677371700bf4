// The style an image is made in, as the Studio and a new batch both ask for it: a preset and the
// merchant's own words; and the one rule for changing the model (its sizes may not include the
// chosen one).
import { Select, TextField } from "@shopify/polaris";

import { MAX_CUSTOM_PROMPT_LENGTH } from "~/generation/prompts";

type Preset = { id: string; name: string; description: string };

export function StyleFields(props: {
  presets: Preset[];
  presetId: string;
  customPrompt: string;
  onChange: (patch: { presetId?: string; customPrompt?: string }) => void;
  error?: string;
  /** Give the fields form names (a form that posts itself). */
  named?: boolean;
}) {
  const { presets, presetId, onChange } = props;
  return (
    <>
      <Select
        label="Style preset"
        name={props.named ? "presetId" : undefined}
        options={presets.map((p) => ({ label: p.name, value: p.id }))}
        value={presetId}
        onChange={(value) => onChange({ presetId: value })}
        helpText={presets.find((p) => p.id === presetId)?.description}
      />
      <TextField
        label="Your own direction (optional)"
        name={props.named ? "customPrompt" : undefined}
        value={props.customPrompt}
        onChange={(customPrompt) => onChange({ customPrompt })}
        multiline={2}
        maxLength={MAX_CUSTOM_PROMPT_LENGTH}
        autoComplete="off"
        error={props.error}
      />
    </>
  );
}

/** The patch for choosing model `id`: a model without the chosen size (the 1K-only draft model) starts at 1K. */
export function modelPatch(models: Array<{ id: string; resolutions: string[] }>, id: string, resolution: string): { model: string; resolution?: "1K" } {
  return models.find((m) => m.id === id)?.resolutions.includes(resolution) ? { model: id } : { model: id, resolution: "1K" };
}
