// What an export may ask for (the admin form, the API's body and the job all use these).
import type { AssetKind } from "~/generated/prisma/client";

export const EXPORT_SCOPES = ["library", "all_data"] as const;
export type ExportScope = (typeof EXPORT_SCOPES)[number];

/** Images chosen one by one, at most this many (a filter or "everything" has no limit). */
export const MAX_EXPORT_ASSET_IDS = 1_000;
/** How long a finished archive can be downloaded before it is deleted. */
export const EXPORT_TTL_MS = 24 * 3_600_000;

/** Which images: chosen ones, a filter (kind and/or product), or everything (none given). */
export type ExportSelection = { assetIds?: string[]; kind?: AssetKind; productId?: string };
