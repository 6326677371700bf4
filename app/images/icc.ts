/** The profile description ('desc' tag) of an ICC profile, v2 ('desc') or v4 ('mluc'). */
export function iccProfileDescription(icc: Buffer | undefined): string | undefined {
  if (!icc || icc.length < 132) return undefined;
  const tagCount = icc.readUInt32BE(128);
  for (let i = 0; i < tagCount && 132 + i * 12 + 12 <= icc.length; i++) {
    const entry = 132 + i * 12;
    if (icc.toString("latin1", entry, entry + 4) !== "desc") continue;
    const offset = icc.readUInt32BE(entry + 4);
    const size = icc.readUInt32BE(entry + 8);
    if (offset + Math.min(size, 12) > icc.length || size < 12) return undefined;
    const type = icc.toString("latin1", offset, offset + 4);
    if (type === "desc") {
      const count = icc.readUInt32BE(offset + 8);
      return icc.toString("latin1", offset + 12, Math.min(icc.length, offset + 12 + count)).replace(/\0+$/, "");
    }
    if (type === "mluc" && offset + 28 <= icc.length) {
      const length = icc.readUInt32BE(offset + 20);
      const start = offset + icc.readUInt32BE(offset + 24);
      const utf16be = icc.subarray(start, Math.min(icc.length, start + length));
      const swapped = Buffer.from(utf16be);
      if (swapped.length % 2 === 0) swapped.swap16();
      return swapped.toString("utf16le").replace(/\0+$/, "");
    }
    return undefined;
  }
  return undefined;
}

/** True for the usual sRGB profiles ("sRGB IEC61966-2.1", "sRGB built-in", ...). */
export function isSrgbProfile(icc: Buffer | undefined): boolean {
  if (!icc || icc.length < 20 || icc.toString("latin1", 16, 20) !== "RGB ") return false;
  return /\bsRGB\b/i.test(iccProfileDescription(icc) ?? "");
}
