/**
 * What a file is, from its first bytes only. File names and declared MIME types are never
 * consulted: both are chosen by whoever sends the file. See docs/decisions/0020-image-format-detection.md.
 */
export type DetectedFormat =
  | "jpeg"
  | "png"
  | "webp"
  | "avif"
  | "heic"
  | "gif"
  | "tiff"
  | "bmp"
  | "jxl"
  | "ico"
  | "psd"
  | "svg"
  | "html"
  | "pdf"
  | "zip"
  | "unknown";

const ascii = (bytes: Buffer, start: number, end: number) => bytes.toString("latin1", start, Math.min(end, bytes.length));
const startsWith = (bytes: Buffer, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"]);
const AVIF_BRANDS = new Set(["avif", "avis"]);

export function detectImageFormat(bytes: Buffer): DetectedFormat {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (ascii(bytes, 4, 8) === "ftyp") return isoBmffBrand(bytes);
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (ascii(bytes, 0, 2) === "BM" && bytes.length >= 26) return "bmp";
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return "jxl";
  if (startsWith(bytes, [0, 0, 1, 0])) return "ico";
  if (ascii(bytes, 0, 4) === "8BPS") return "psd";
  if (ascii(bytes, 0, 5) === "%PDF-") return "pdf";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "zip";
  return sniffText(bytes);
}

/** ISO base media file (HEIF family, also MP4/MOV): decide by major and compatible brands. */
function isoBmffBrand(bytes: Buffer): DetectedFormat {
  const boxSize = bytes.length >= 4 ? bytes.readUInt32BE(0) : 0;
  const end = Math.min(bytes.length, Math.max(16, Math.min(boxSize, 256)));
  const brands = [ascii(bytes, 8, 12)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(ascii(bytes, offset, offset + 4));
  const major = brands[0] ?? "";
  if (AVIF_BRANDS.has(major)) return "avif";
  if (HEIC_BRANDS.has(major)) return "heic";
  if (major === "mif1" || major === "msf1") {
    if (brands.some((b) => AVIF_BRANDS.has(b))) return "avif";
    if (brands.some((b) => HEIC_BRANDS.has(b))) return "heic";
  }
  return "unknown";
}

function sniffText(bytes: Buffer): DetectedFormat {
  let head = bytes.toString("utf8", 0, Math.min(bytes.length, 1024));
  head = head.replace(/^\uFEFF/, "").trimStart().toLowerCase();
  if (/^<(\?xml|svg|!--)/.test(head) && head.includes("<svg")) return "svg";
  if (/^<(!doctype html|html|head|body|script|meta|iframe|div|img|a\s)/.test(head)) return "html";
  return "unknown";
}

const LABELS: Record<DetectedFormat, string> = {
  jpeg: "JPEG",
  png: "PNG",
  webp: "WebP",
  avif: "AVIF",
  heic: "HEIC",
  gif: "GIF",
  tiff: "TIFF",
  bmp: "BMP",
  jxl: "JPEG XL",
  ico: "icon (ICO)",
  psd: "Photoshop (PSD)",
  svg: "SVG",
  html: "web page (HTML)",
  pdf: "PDF",
  zip: "ZIP archive",
  unknown: "unknown",
};

export function formatLabel(format: DetectedFormat): string {
  return LABELS[format];
}

/** Normalise a declared MIME type to our format names (for the mismatch flag only). */
export function formatFromMimeType(mimeType: string | undefined): DetectedFormat | undefined {
  if (!mimeType) return undefined;
  const type = mimeType.split(";")[0]?.trim().toLowerCase();
  switch (type) {
    case "image/jpeg":
    case "image/jpg":
    case "image/pjpeg":
      return "jpeg";
    case "image/png":
      return "png";
    case "image/webp":
      return "webp";
    case "image/avif":
      return "avif";
    case "image/heic":
    case "image/heif":
      return "heic";
    case "image/gif":
      return "gif";
    case "image/tiff":
      return "tiff";
    case "image/bmp":
      return "bmp";
    case "image/svg+xml":
      return "svg";
    case "text/html":
      return "html";
    default:
      return "unknown";
  }
}
