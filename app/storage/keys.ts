import { InvalidStorageKeyError } from "./types";

export const OBJECT_KINDS = ["uploads", "generated", "product-photos", "exports"] as const;
/** An asset's three renditions, and an export's archive. */
export const RENDITIONS = ["original", "display", "thumb", "archive"] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];
export type Rendition = (typeof RENDITIONS)[number];

/** Ids we generate (cuid, uuid, numeric) or a shop domain: no slashes, no "..", no leading dot. */
const ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.)){0,127}$/;
const EXT_PATTERN = /^[a-z0-9]{1,8}$/;
const SEGMENT = "[A-Za-z0-9](?:[A-Za-z0-9_-]|\\.(?!\\.))*";
/** Any key a backend accepts: safe path segments joined by "/". */
const KEY_PATTERN = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);
const PREFIX_PATTERN = new RegExp(`^(?:${SEGMENT}/)+$`);
const MAX_KEY_LENGTH = 512;

function checkPart(name: string, value: unknown, pattern: RegExp): string {
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new InvalidStorageKeyError(`invalid ${name} for a storage key: ${JSON.stringify(value)}`);
  }
  return value;
}

function checkOneOf(name: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw new InvalidStorageKeyError(`invalid ${name} for a storage key: ${JSON.stringify(value)} (one of ${allowed.join(", ")})`);
  }
}

/** `shops/<shopId>/<kind>/<assetId>/<rendition>.<ext>` with every part validated. */
export function shopObjectKey(
  shopId: string,
  kind: ObjectKind,
  assetId: string,
  rendition: Rendition,
  ext: string,
): string {
  checkPart("shopId", shopId, ID_PATTERN);
  checkOneOf("kind", kind, OBJECT_KINDS);
  checkPart("assetId", assetId, ID_PATTERN);
  checkOneOf("rendition", rendition, RENDITIONS);
  checkPart("ext", ext, EXT_PATTERN);
  return `shops/${shopId}/${kind}/${assetId}/${rendition}.${ext}`;
}

/** `shops/<shopId>/`: everything of one shop (for deletePrefix on uninstall). */
export function shopPrefix(shopId: string): string {
  checkPart("shopId", shopId, ID_PATTERN);
  return `shops/${shopId}/`;
}

/** `shops/<shopId>/<kind>/<assetId>/`: every rendition of one asset. */
export function assetPrefix(shopId: string, kind: ObjectKind, assetId: string): string {
  checkPart("shopId", shopId, ID_PATTERN);
  checkOneOf("kind", kind, OBJECT_KINDS);
  checkPart("assetId", assetId, ID_PATTERN);
  return `shops/${shopId}/${kind}/${assetId}/`;
}

export function assertValidKey(key: unknown): string {
  if (typeof key !== "string" || key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key)) {
    throw new InvalidStorageKeyError(`invalid storage key: ${JSON.stringify(key)}`);
  }
  return key;
}

/** A prefix must be one or more whole path segments ending in "/". */
export function assertValidPrefix(prefix: unknown): string {
  if (typeof prefix !== "string" || prefix.length > MAX_KEY_LENGTH || !PREFIX_PATTERN.test(prefix)) {
    throw new InvalidStorageKeyError(
      `invalid storage prefix (must be whole segments ending in "/"): ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
}
