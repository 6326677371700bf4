// Style presets: data only. `scene` is the prompt template for Gemini ({product} is replaced
// by a reference to the product); `backdrop` is what the offline compositor paints instead.

export type PresetCategory = "studio" | "lifestyle" | "outdoor" | "seasonal" | "flat-lay";

/** A backdrop the offline compositor can paint without AI. Colours are #rrggbb. */
export interface Backdrop {
  /** Background, vertical gradient top -> bottom. */
  wall: readonly [string, string];
  /** A surface (table, floor, ground) filling the frame below `horizon` (0..1 from top). */
  surface?: { colors: readonly [string, string]; horizon: number };
  /** Soft light spot behind the product, 0..1. */
  glow?: number;
  /** Procedural texture on the whole frame or on the surface only. */
  texture?: {
    kind: "marble" | "wood" | "linen";
    color: string;
    strength: number;
    area: "all" | "surface";
  };
  /** Out-of-focus light dots (fairy lights, foliage) on the wall. */
  bokeh?: { colors: readonly string[]; count: number };
}

export interface Preset {
  id: string;
  name: string;
  description: string;
  category: PresetCategory;
  /** Prompt template; `{product}` marks where the product is named. */
  scene: string;
  backdrop: Backdrop;
}

export const PRESETS = [
  {
    id: "white-studio",
    name: "Clean white studio",
    description: "Pure white seamless background with soft, even light. Marketplace-ready packshot.",
    category: "studio",
    scene:
      "Place {product} on a seamless pure white studio background with soft, even, diffused lighting and a subtle natural contact shadow beneath it. A clean e-commerce packshot with nothing else in the frame.",
    backdrop: { wall: ["#ffffff", "#f0f0f0"], glow: 0.15 },
  },
  {
    id: "soft-color",
    name: "Soft shadow on colour",
    description: "Matte pastel backdrop with one large soft light and a gentle shadow.",
    category: "studio",
    scene:
      "Place {product} on a smooth matte pastel backdrop in a soft colour that complements the product, lit by one large soft light from the side that casts a gentle, elongated soft shadow. Minimal and modern, no props.",
    backdrop: { wall: ["#f7ddd3", "#edc6b8"], glow: 0.35 },
  },
  {
    id: "marble",
    name: "Marble",
    description: "Polished white marble surface against a light, softly blurred wall.",
    category: "studio",
    scene:
      "Place {product} on a polished white marble surface with subtle grey veining, against a softly blurred light neutral wall. Bright and airy, natural window light from the left, gentle reflections on the marble.",
    backdrop: {
      wall: ["#efebe7", "#dcd6d0"],
      surface: { colors: ["#f6f4f1", "#e6e2dd"], horizon: 0.58 },
      texture: { kind: "marble", color: "#9a9690", strength: 0.55, area: "surface" },
      glow: 0.2,
    },
  },
  {
    id: "kitchen",
    name: "Kitchen lifestyle",
    description: "Wooden countertop in a bright, warm kitchen with soft morning light.",
    category: "lifestyle",
    scene:
      "Place {product} on a wooden countertop in a bright, warm, modern kitchen. Natural morning light, the background softly blurred, with a few small kitchen props (a linen towel, fresh herbs) kept out of focus so the product stays the hero.",
    backdrop: {
      wall: ["#f1e6d4", "#e0d0b7"],
      surface: { colors: ["#c0915f", "#9a6b42"], horizon: 0.66 },
      texture: { kind: "wood", color: "#7a4e2c", strength: 0.45, area: "surface" },
      bokeh: { colors: ["#fff6e0", "#ffe9c2"], count: 9 },
    },
  },
  {
    id: "bathroom",
    name: "Bathroom lifestyle",
    description: "Stone shelf in a fresh, light bathroom with spa-like calm.",
    category: "lifestyle",
    scene:
      "Place {product} on a clean light stone shelf in a bright, modern bathroom with pale tiles and soft daylight; a folded towel and a small green plant softly blurred in the background. Calm, fresh, spa-like.",
    backdrop: {
      wall: ["#e8f0f2", "#d3e0e3"],
      surface: { colors: ["#f4f4f1", "#dedfdb"], horizon: 0.68 },
      bokeh: { colors: ["#ffffff", "#e3f1f0"], count: 7 },
    },
  },
  {
    id: "living-room",
    name: "Living-room lifestyle",
    description: "Wooden side table in a cosy living room with warm afternoon light.",
    category: "lifestyle",
    scene:
      "Place {product} on a wooden side table in a cosy, stylish living room with warm afternoon light; a sofa, cushions and a plant softly out of focus in the background.",
    backdrop: {
      wall: ["#ebe3d8", "#d6cabb"],
      surface: { colors: ["#8d6c50", "#6d5139"], horizon: 0.7 },
      texture: { kind: "wood", color: "#4f3826", strength: 0.4, area: "surface" },
      bokeh: { colors: ["#ffe7bd", "#f6d7a7"], count: 8 },
    },
  },
  {
    id: "outdoor",
    name: "Outdoor daylight",
    description: "Natural surface outdoors, greenery and sky softly blurred behind.",
    category: "outdoor",
    scene:
      "Place {product} outdoors on a natural flat stone in soft daylight, with greenery and sky gently blurred in the background (shallow depth of field). Fresh and natural, sunny but without harsh shadows.",
    backdrop: {
      wall: ["#b9dcf3", "#eaf5ea"],
      surface: { colors: ["#b7c9a0", "#7f9c63"], horizon: 0.64 },
      bokeh: { colors: ["#d6ecb8", "#a9cf86", "#fdfbe8"], count: 12 },
    },
  },
  {
    id: "holiday",
    name: "Holiday season",
    description: "Festive setting with glowing lights, pine and gifts in red, green and gold.",
    category: "seasonal",
    scene:
      "Place {product} in a festive holiday scene: a warm, cosy setting with softly glowing fairy lights (bokeh), a few pine branches, wrapped gifts and subtle ornaments in red, green and gold around it, kept out of focus and never covering the product.",
    backdrop: {
      wall: ["#7b1e2c", "#4a1019"],
      surface: { colors: ["#f4efe8", "#ddd3c6"], horizon: 0.72 },
      bokeh: { colors: ["#ffd27a", "#ff8a7a", "#9fdc9a", "#fff1c4"], count: 22 },
      glow: 0.25,
    },
  },
  {
    id: "flat-lay",
    name: "Flat lay",
    description: "Top-down composition on linen with a few neatly arranged props.",
    category: "flat-lay",
    scene:
      "Show {product} in a top-down flat-lay composition on a light linen surface, photographed from directly above, with a few small complementary props neatly arranged around it with generous spacing. Soft, even lighting with minimal shadows. Show the same side of the product that faces the camera in the source photo.",
    backdrop: {
      wall: ["#f3ece2", "#ece3d6"],
      texture: { kind: "linen", color: "#b8a58c", strength: 0.35, area: "all" },
    },
  },
  {
    id: "dark-luxe",
    name: "Dark luxury",
    description: "Charcoal surface, deep background and soft rim light for a premium look.",
    category: "studio",
    scene:
      "Place {product} on a dark matte charcoal surface against a deep, dark background, with soft rim lighting that outlines the product and a subtle reflection below it. Premium, luxurious mood.",
    backdrop: {
      wall: ["#2c2c30", "#121214"],
      surface: { colors: ["#26262a", "#19191c"], horizon: 0.7 },
      glow: 0.3,
    },
  },
] as const satisfies readonly Preset[];

export type PresetId = (typeof PRESETS)[number]["id"];
export const PRESET_IDS = PRESETS.map((p) => p.id) as PresetId[];
export const DEFAULT_PRESET_ID: PresetId = "white-studio";

export function isPresetId(value: string): value is PresetId {
  return PRESETS.some((p) => p.id === value);
}

export function getPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

export function presetsByCategory(category: PresetCategory): Preset[] {
  return PRESETS.filter((p) => p.category === category);
}
