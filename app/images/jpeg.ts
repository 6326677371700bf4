/**
 * JPEG marker-segment surgery without decoding pixels: dropping metadata segments on ingest and
 * setting the XMP packet for provenance. Pure byte work; returns null when the structure is not
 * what the JPEG standard allows, so callers can fall back to a full decode/re-encode.
 */

export interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF that starts the marker. */
  start: number;
  /** Offset just past the segment. */
  end: number;
  /** Offset of the payload (after the two length bytes). */
  payload: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP14 = 0xee;
const COM = 0xfe;

const XMP_NAMESPACE = Buffer.from("http://ns.adobe.com/xap/1.0/\0", "latin1");
const XMP_EXTENSION_NAMESPACE = Buffer.from("http://ns.adobe.com/xmp/extension/\0", "latin1");

const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === SOI || marker === EOI;

/** Reads one marker segment starting at `pos` (which must be 0xFF); null if malformed. */
function readSegment(bytes: Buffer, pos: number): JpegSegment | null {
  if (bytes[pos] !== 0xff) return null;
  let p = pos;
  while (p < bytes.length && bytes[p] === 0xff) p++; // fill bytes
  const marker = bytes[p];
  if (marker === undefined || marker === 0x00) return null;
  if (isStandalone(marker)) return { marker, start: p - 1, end: p + 1, payload: p + 1 };
  if (p + 3 > bytes.length) return null;
  const length = bytes.readUInt16BE(p + 1);
  const end = p + 1 + length;
  if (length < 2 || end > bytes.length) return null;
  return { marker, start: p - 1, end, payload: p + 3 };
}

/** The segments before the first SOS (tables, frame header, APPn, COM), plus the SOS offset. */
export function readJpegHeader(bytes: Buffer): { segments: JpegSegment[]; sosStart: number } | null {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return null;
  const segments: JpegSegment[] = [];
  let pos = 2;
  for (;;) {
    const segment = readSegment(bytes, pos);
    if (!segment || isStandalone(segment.marker)) return null;
    if (segment.marker === SOS) return { segments, sosStart: segment.start };
    segments.push(segment);
    pos = segment.end;
  }
}

const payloadStartsWith = (bytes: Buffer, s: JpegSegment, prefix: Buffer) =>
  s.end - s.payload >= prefix.length && bytes.subarray(s.payload, s.payload + prefix.length).equals(prefix);

/** APP14 "Adobe" carries the colour transform flag decoders need; every other APPn and COM is metadata. */
function isMetadataSegment(bytes: Buffer, s: JpegSegment): boolean {
  if (s.marker === COM) return true;
  if (s.marker >= APP0 && s.marker <= 0xef) {
    return !(s.marker === APP14 && payloadStartsWith(bytes, s, Buffer.from("Adobe", "latin1")));
  }
  return false;
}

/**
 * The same JPEG with every APPn (except Adobe APP14) and COM segment removed, including ones
 * between progressive scans, and nothing after the EOI marker (appended ZIP/HTML payloads,
 * MPF secondary images). Entropy-coded data is copied unchanged: no quality loss.
 * Null if the file is structurally broken or truncated.
 */
export function stripJpegMetadata(bytes: Buffer): Buffer | null {
  const header = readJpegHeader(bytes);
  if (!header) return null;
  const out: Buffer[] = [bytes.subarray(0, 2)];
  for (const s of header.segments) if (!isMetadataSegment(bytes, s)) out.push(bytes.subarray(s.start, s.end));

  let pos = header.sosStart;
  for (;;) {
    const segment = readSegment(bytes, pos);
    if (!segment) return null;
    if (segment.marker === EOI) {
      out.push(Buffer.from([0xff, EOI]));
      return Buffer.concat(out);
    }
    if (isStandalone(segment.marker)) return null;
    if (!isMetadataSegment(bytes, segment)) out.push(bytes.subarray(segment.start, segment.end));
    pos = segment.end;
    if (segment.marker === SOS) {
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor RSTn.
      let i = pos;
      for (;;) {
        i = bytes.indexOf(0xff, i);
        if (i < 0 || i + 1 >= bytes.length) return null; // truncated: no EOI
        const next = bytes[i + 1]!;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i += 2;
        else if (next === 0xff) i += 1;
        else break;
      }
      out.push(bytes.subarray(pos, i));
      pos = i;
    }
  }
}

/**
 * Replaces the JPEG's XMP with `packet`: removes standard and extended XMP APP1 segments and
 * inserts one new APP1 after the leading APP0/Exif segments. Everything else is kept byte for byte.
 */
export function setJpegXmp(bytes: Buffer, packet: string): Buffer {
  const header = readJpegHeader(bytes);
  if (!header) throw new Error("not a well-formed JPEG");
  const xmp = Buffer.concat([XMP_NAMESPACE, Buffer.from(packet, "utf8")]);
  if (xmp.length + 2 > 0xffff) throw new Error("XMP packet too large for one JPEG segment");
  const app1 = Buffer.alloc(4);
  app1[0] = 0xff;
  app1[1] = APP1;
  app1.writeUInt16BE(xmp.length + 2, 2);

  const kept = header.segments.filter(
    (s) => !(s.marker === APP1 && (payloadStartsWith(bytes, s, XMP_NAMESPACE) || payloadStartsWith(bytes, s, XMP_EXTENSION_NAMESPACE))),
  );
  let insertAt = 0;
  while (insertAt < kept.length) {
    const s = kept[insertAt]!;
    const leading = s.marker === APP0 || (s.marker === APP1 && payloadStartsWith(bytes, s, Buffer.from("Exif\0", "latin1")));
    if (!leading) break;
    insertAt++;
  }
  const parts: Buffer[] = [bytes.subarray(0, 2)];
  kept.forEach((s, i) => {
    if (i === insertAt) parts.push(app1, xmp);
    parts.push(bytes.subarray(s.start, s.end));
  });
  if (insertAt === kept.length) parts.push(app1, xmp);
  parts.push(bytes.subarray(header.sosStart));
  return Buffer.concat(parts);
}
