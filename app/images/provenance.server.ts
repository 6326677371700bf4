import { crc32 } from "node:zlib";

import { setJpegXmp } from "./jpeg";

/** IPTC NewsCodes term Google Merchant Center expects on AI-generated images. */
export const TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

export interface ProvenanceOptions {
  /** Written as xmp:CreatorTool, e.g. "Lightbox (gemini-3.1-flash-image)". */
  creatorTool: string;
  /** IPTC digital source type; defaults to trainedAlgorithmicMedia. */
  digitalSourceType?: string;
}

export type StampableFormat = "jpeg" | "png" | "webp";

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

/** The XMP packet stamped into generated images. */
export function provenanceXmp(options: ProvenanceOptions): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const tool = escapeXml(options.creatorTool.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 200));
  const source = escapeXml(options.digitalSourceType ?? TRAINED_ALGORITHMIC_MEDIA);
  return [
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>`,
    `<x:xmpmeta xmlns:x="adobe:ns:meta/">`,
    ` <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`,
    `  <rdf:Description rdf:about=""`,
    `    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"`,
    `    xmlns:xmp="http://ns.adobe.com/xap/1.0/"`,
    `    Iptc4xmpExt:DigitalSourceType="${source}"`,
    `    xmp:CreatorTool="${tool}"/>`,
    ` </rdf:RDF>`,
    `</x:xmpmeta>`,
    `<?xpacket end="w"?>`,
  ].join("\n");
}

/**
 * Returns the image with its XMP replaced by the provenance packet. Works on the container
 * only (JPEG APP1, PNG iTXt, WebP XMP chunk): pixels and compressed data stay byte-identical,
 * so stamping costs no quality and no decode. Any XMP already present is replaced, not merged.
 * See docs/decisions/0023-provenance-xmp.md.
 */
export async function stampProvenance(bytes: Buffer, format: StampableFormat, options: ProvenanceOptions): Promise<Buffer> {
  const packet = provenanceXmp(options);
  switch (format) {
    case "jpeg":
      return setJpegXmp(bytes, packet);
    case "png":
      return setPngXmp(bytes, packet);
    case "webp":
      return setWebpXmp(bytes, packet);
    default: {
      const never: never = format;
      throw new Error(`cannot stamp provenance into ${String(never)}`);
    }
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_XMP_KEYWORD = "XML:com.adobe.xmp";

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(Buffer.from(type, "latin1"))));
  return Buffer.concat([head, data, crc]);
}

/** PNG: drop existing XMP text chunks, insert one iTXt right after IHDR. */
function setPngXmp(bytes: Buffer, packet: string): Buffer {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error("not a PNG");
  const itxt = pngChunk(
    "iTXt",
    Buffer.concat([Buffer.from(`${PNG_XMP_KEYWORD}\0\0\0\0\0`, "latin1"), Buffer.from(packet, "utf8")]),
  );
  const parts: Buffer[] = [PNG_SIGNATURE];
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > bytes.length) throw new Error("truncated PNG chunk");
    // XMP may sit in iTXt (the standard place) or, as libvips writes it, in zTXt/tEXt.
    const isXmp =
      (type === "iTXt" || type === "zTXt" || type === "tEXt") &&
      bytes.toString("latin1", offset + 8, offset + 8 + PNG_XMP_KEYWORD.length + 1) === `${PNG_XMP_KEYWORD}\0`;
    if (!isXmp) parts.push(bytes.subarray(offset, end));
    if (type === "IHDR") parts.push(itxt);
    offset = end;
    if (type === "IEND") break;
  }
  return Buffer.concat(parts);
}

/** WebP: make sure the file is extended (VP8X) with the XMP flag, replace any XMP chunk, append ours. */
function setWebpXmp(bytes: Buffer, packet: string): Buffer {
  if (bytes.length < 20 || bytes.toString("latin1", 0, 4) !== "RIFF" || bytes.toString("latin1", 8, 12) !== "WEBP") {
    throw new Error("not a WebP");
  }
  const chunks: { fourcc: string; data: Buffer }[] = [];
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const fourcc = bytes.toString("latin1", offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (offset + 8 + size > bytes.length) throw new Error("truncated WebP chunk");
    chunks.push({ fourcc, data: bytes.subarray(offset + 8, offset + 8 + size) });
    offset += 8 + size + (size % 2);
  }
  const first = chunks[0];
  if (!first) throw new Error("empty WebP");
  const XMP_FLAG = 0x04;
  const ALPHA_FLAG = 0x10;
  let vp8x: Buffer;
  let rest: { fourcc: string; data: Buffer }[];
  if (first.fourcc === "VP8X") {
    vp8x = Buffer.from(first.data);
    rest = chunks.slice(1);
  } else {
    const { width, height, alpha } = simpleWebpInfo(first);
    vp8x = Buffer.alloc(10);
    vp8x.writeUIntLE(width - 1, 4, 3);
    vp8x.writeUIntLE(height - 1, 7, 3);
    if (alpha) vp8x[0] = ALPHA_FLAG;
    rest = chunks;
  }
  vp8x[0] = (vp8x[0] ?? 0) | XMP_FLAG;
  const body = [{ fourcc: "VP8X", data: vp8x }, ...rest.filter((c) => c.fourcc !== "XMP "), { fourcc: "XMP ", data: Buffer.from(packet, "utf8") }];
  const encoded = body.map(({ fourcc, data }) => {
    const head = Buffer.alloc(8);
    head.write(fourcc, 0, "latin1");
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  });
  const riff = Buffer.alloc(12);
  riff.write("RIFF", 0, "latin1");
  riff.write("WEBP", 8, "latin1");
  const payload = Buffer.concat(encoded);
  riff.writeUInt32LE(payload.length + 4, 4);
  return Buffer.concat([riff, payload]);
}

/** Canvas size (and alpha) of a simple-format WebP from its VP8/VP8L bitstream header. */
function simpleWebpInfo(chunk: { fourcc: string; data: Buffer }): { width: number; height: number; alpha: boolean } {
  const d = chunk.data;
  if (chunk.fourcc === "VP8 " && d.length >= 10 && d[3] === 0x9d && d[4] === 0x01 && d[5] === 0x2a) {
    return { width: d.readUInt16LE(6) & 0x3fff, height: d.readUInt16LE(8) & 0x3fff, alpha: false };
  }
  if (chunk.fourcc === "VP8L" && d.length >= 5 && d[0] === 0x2f) {
    const bits = d.readUInt32LE(1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: ((bits >>> 28) & 1) === 1 };
  }
  throw new Error(`unexpected WebP image chunk ${JSON.stringify(chunk.fourcc)}`);
}
