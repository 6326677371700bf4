import sharp from "sharp";

/** Mean RGB of a region (fractions of width/height), decoded to sRGB. */
export async function meanColour(
  bytes: Buffer,
  region: { left: number; top: number; width: number; height: number } = { left: 0, top: 0, width: 1, height: 1 },
  options: { ignoreIcc?: boolean } = {},
): Promise<[number, number, number]> {
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  // Decode and crop first, then average the raw pixels (sharp's stats() ignores pipeline operations).
  const { data, info } = await sharp(bytes, { ignoreIcc: options.ignoreIcc })
    .extract({
      left: Math.floor(region.left * width),
      top: Math.floor(region.top * height),
      width: Math.max(1, Math.floor(region.width * width)),
      height: Math.max(1, Math.floor(region.height * height)),
    })
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels) {
    for (let c = 0; c < 3; c++) sums[c]! += data[i + (info.channels >= 3 ? c : 0)]!;
  }
  const n = data.length / info.channels;
  return [sums[0]! / n, sums[1]! / n, sums[2]! / n];
}
