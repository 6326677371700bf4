import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * exiftool is the independent reader for metadata assertions. Missing locally: those tests are
 * skipped with a loud warning. Missing under CI (CI=true): the suite fails, because a skipped
 * privacy/provenance check must never pass silently there.
 */
export const exiftoolAvailable = spawnSync("exiftool", ["-ver"], { encoding: "utf8" }).status === 0;

export function exiftoolGate(suite: string): boolean {
  if (exiftoolAvailable) return true;
  if (process.env.CI === "true") {
    throw new Error(`${suite}: exiftool is required under CI (apt-get install -y libimage-exiftool-perl)`);
  }
  console.warn(
    `\n${"!".repeat(78)}\n!! ${suite}: exiftool not found, SKIPPING metadata checks.\n` +
      `!! Install it: apt-get install -y libimage-exiftool-perl (CI=true makes this a failure)\n${"!".repeat(78)}\n`,
  );
  return false;
}

/** exiftool -j output for the bytes (written to a temp file), tags keyed "Group:Tag". */
export function exiftoolRead(bytes: Buffer, args: string[] = ["-a", "-G0", "-n"]): Record<string, unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), "lightbox-exif-"));
  try {
    const file = path.join(dir, "image");
    writeFileSync(file, bytes);
    const out = execFileSync("exiftool", ["-j", ...args, file], { encoding: "utf8" });
    const parsed = JSON.parse(out) as Record<string, unknown>[];
    return parsed[0] ?? {};
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tags that identify a person, place, device or software history: none may survive ingest. */
export function personalMetadata(tags: Record<string, unknown>): string[] {
  return Object.keys(tags).filter(
    (key) => /^(EXIF|XMP|IPTC|Photoshop|MakerNotes|Comment|JFIF|FlashPix|MPF|APP\d+|Trailer)(:|$)/.test(key) || /GPS/i.test(key),
  );
}
