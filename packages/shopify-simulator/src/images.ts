// Product photos the project renders itself: simple product shapes on plain backgrounds, drawn as
// SVG and rasterised with sharp. Deterministic, so tests and demos always see the same pixels.
import sharp from "sharp";

export const SHAPES = [
  "mug",
  "bottle",
  "sneaker",
  "tshirt",
  "backpack",
  "watch",
  "candle",
  "plant",
  "lamp",
  "headphones",
  "sunglasses",
  "vase",
] as const;

export type ShapeName = (typeof SHAPES)[number];

export interface PhotoSpec {
  shape: ShapeName;
  /** Product colour, e.g. "#2f6f8f". */
  color: string;
  /** Background colour. */
  background: string;
  /** Mirror the product horizontally (a second "angle"). */
  flip?: boolean;
  /** Zoom factor around the centre; 1 = default framing. */
  zoom?: number;
  width?: number;
  height?: number;
  format?: "jpeg" | "png" | "webp";
}

export const PHOTO_SIZE = 1024;

const SHAPE_SVG: Record<ShapeName, (c: string, dark: string, light: string) => string> = {
  mug: (c, dark, light) => `
    <path d="M650 430 h60 a90 90 0 0 1 0 180 h-60" fill="none" stroke="${dark}" stroke-width="44"/>
    <rect x="330" y="360" width="340" height="380" rx="36" fill="${c}"/>
    <ellipse cx="500" cy="362" rx="170" ry="34" fill="${dark}"/>
    <rect x="360" y="410" width="40" height="280" rx="20" fill="${light}" opacity="0.35"/>`,
  bottle: (c, dark, light) => `
    <rect x="445" y="210" width="110" height="70" rx="14" fill="${dark}"/>
    <path d="M455 280 h90 v40 q80 40 80 120 v340 a40 40 0 0 1 -40 40 h-170 a40 40 0 0 1 -40 -40 v-340 q0 -80 80 -120 z" fill="${c}"/>
    <rect x="400" y="520" width="200" height="150" fill="${light}" opacity="0.55"/>
    <rect x="405" y="440" width="26" height="320" rx="13" fill="${light}" opacity="0.3"/>`,
  sneaker: (c, dark, light) => `
    <path d="M230 690 q-10 -120 60 -160 l140 -80 q40 -20 70 20 l40 50 q70 60 170 70 q110 10 120 100 v30 z" fill="${c}"/>
    <rect x="220" y="680" width="620" height="60" rx="28" fill="${light}"/>
    <path d="M420 480 l40 50 M450 465 l40 50 M480 452 l40 50" stroke="${dark}" stroke-width="14" stroke-linecap="round"/>
    <rect x="220" y="730" width="620" height="16" rx="8" fill="${dark}"/>`,
  tshirt: (c, dark, light) => `
    <path d="M380 250 l-170 90 l60 150 l70 -35 v370 h320 v-370 l70 35 l60 -150 l-170 -90 q-60 70 -120 0 z" fill="${c}"/>
    <path d="M380 250 q60 70 120 0" fill="none" stroke="${dark}" stroke-width="16"/>
    <rect x="560" y="420" width="70" height="60" rx="8" fill="${light}" opacity="0.35"/>`,
  backpack: (c, dark, light) => `
    <path d="M420 290 q80 -90 160 0" fill="none" stroke="${dark}" stroke-width="30"/>
    <rect x="330" y="300" width="340" height="470" rx="90" fill="${c}"/>
    <rect x="380" y="540" width="240" height="180" rx="36" fill="${dark}"/>
    <rect x="400" y="540" width="200" height="16" fill="${light}" opacity="0.5"/>
    <rect x="360" y="330" width="30" height="200" rx="15" fill="${light}" opacity="0.25"/>`,
  watch: (c, dark, light) => `
    <rect x="440" y="170" width="120" height="680" rx="40" fill="${dark}"/>
    <circle cx="500" cy="510" r="170" fill="${c}"/>
    <circle cx="500" cy="510" r="135" fill="${light}"/>
    <path d="M500 510 v-95 M500 510 h70" stroke="${dark}" stroke-width="14" stroke-linecap="round"/>
    <rect x="668" y="490" width="30" height="40" rx="8" fill="${c}"/>`,
  candle: (c, dark, light) => `
    <path d="M500 270 q40 60 0 110 q-40 -50 0 -110 z" fill="#f2a93b"/>
    <rect x="494" y="370" width="12" height="40" fill="${dark}"/>
    <rect x="340" y="400" width="320" height="360" rx="30" fill="${c}" opacity="0.92"/>
    <rect x="340" y="400" width="320" height="60" rx="30" fill="${light}" opacity="0.6"/>
    <rect x="400" y="540" width="200" height="110" rx="10" fill="${light}"/>`,
  plant: (c, dark, light) => `
    <ellipse cx="430" cy="400" rx="50" ry="170" transform="rotate(-25 430 400)" fill="#3f8f4f"/>
    <ellipse cx="570" cy="390" rx="50" ry="180" transform="rotate(22 570 390)" fill="#4fa35f"/>
    <ellipse cx="500" cy="360" rx="48" ry="200" fill="#2f7f3f"/>
    <path d="M350 560 h300 l-40 220 h-220 z" fill="${c}"/>
    <rect x="340" y="540" width="320" height="50" rx="12" fill="${dark}"/>
    <rect x="380" y="600" width="24" height="150" rx="12" fill="${light}" opacity="0.3"/>`,
  lamp: (c, dark, light) => `
    <path d="M380 250 h240 l70 200 h-380 z" fill="${c}"/>
    <rect x="488" y="450" width="24" height="290" fill="${dark}"/>
    <ellipse cx="500" cy="750" rx="150" ry="34" fill="${dark}"/>
    <path d="M400 270 h40 l-40 160 h-40 z" fill="${light}" opacity="0.35"/>`,
  headphones: (c, dark, light) => `
    <path d="M300 560 v-80 a200 200 0 0 1 400 0 v80" fill="none" stroke="${dark}" stroke-width="40"/>
    <rect x="250" y="520" width="120" height="220" rx="50" fill="${c}"/>
    <rect x="630" y="520" width="120" height="220" rx="50" fill="${c}"/>
    <rect x="270" y="550" width="24" height="150" rx="12" fill="${light}" opacity="0.35"/>`,
  sunglasses: (c, dark, light) => `
    <path d="M200 450 h600" stroke="${c}" stroke-width="26" stroke-linecap="round"/>
    <rect x="230" y="440" width="230" height="170" rx="70" fill="${dark}"/>
    <rect x="540" y="440" width="230" height="170" rx="70" fill="${dark}"/>
    <path d="M460 470 q40 -30 80 0" fill="none" stroke="${c}" stroke-width="20"/>
    <rect x="270" y="470" width="80" height="30" rx="15" fill="${light}" opacity="0.4"/>`,
  vase: (c, dark, light) => `
    <path d="M440 260 h120 v70 q120 90 110 260 q-10 160 -110 190 h-120 q-100 -30 -110 -190 q-10 -170 110 -260 z" fill="${c}"/>
    <ellipse cx="500" cy="262" rx="62" ry="16" fill="${dark}"/>
    <path d="M370 520 q130 40 260 0" fill="none" stroke="${light}" stroke-width="18" opacity="0.6"/>
    <rect x="395" y="430" width="26" height="250" rx="13" fill="${light}" opacity="0.3"/>`,
};

function shade(hex: string, amount: number): string {
  const value = Number.parseInt(hex.replace("#", ""), 16);
  const channel = (shift: number) => {
    const c = (value >> shift) & 0xff;
    const next = amount < 0 ? c * (1 + amount) : c + (255 - c) * amount;
    return Math.max(0, Math.min(255, Math.round(next)));
  };
  return `#${[16, 8, 0].map((shift) => channel(shift).toString(16).padStart(2, "0")).join("")}`;
}

/** The SVG source of a product photo. */
export function photoSvg(spec: PhotoSpec): string {
  const width = spec.width ?? PHOTO_SIZE;
  const height = spec.height ?? PHOTO_SIZE;
  const zoom = spec.zoom ?? 1;
  const flip = spec.flip ? "translate(1000 0) scale(-1 1)" : "";
  const scale = Math.min(width, height) / 1000;
  const offsetX = (width - 1000 * scale) / 2;
  const offsetY = (height - 1000 * scale) / 2;
  const shape = SHAPE_SVG[spec.shape](spec.color, shade(spec.color, -0.35), shade(spec.color, 0.7));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs>
    <radialGradient id="bg" cx="50%" cy="40%" r="75%">
      <stop offset="0%" stop-color="${shade(spec.background, 0.25)}"/>
      <stop offset="100%" stop-color="${shade(spec.background, -0.08)}"/>
    </radialGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="18"/></filter>
  </defs>
  <rect width="100%" height="100%" fill="url(#bg)"/>
  <g transform="translate(${offsetX} ${offsetY}) scale(${scale})">
    <g transform="translate(500 500) scale(${zoom}) translate(-500 -500)">
      <ellipse cx="500" cy="790" rx="300" ry="38" fill="#000" opacity="0.18" filter="url(#soft)"/>
      <g transform="${flip}">${shape}</g>
    </g>
  </g>
</svg>`;
}

/** Renders a product photo (JPEG by default). */
export async function renderPhoto(spec: PhotoSpec): Promise<{ body: Buffer; contentType: string }> {
  const format = spec.format ?? "jpeg";
  const image = sharp(Buffer.from(photoSvg(spec)));
  const body =
    format === "png" ? await image.png().toBuffer() : format === "webp" ? await image.webp({ quality: 85 }).toBuffer() : await image.jpeg({ quality: 86 }).toBuffer();
  return { body, contentType: `image/${format}` };
}
