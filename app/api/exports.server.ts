// The API's view of an export (the Export schema of app/api/contract/responses.ts).
import type { z } from "zod";

import { exportView } from "~/exports/export-view.server";
import type { Export } from "~/generated/prisma/client";
import type { ObjectStorage } from "~/storage/types";

import { DOWNLOAD_URL_SECONDS, type ExportSchema } from "./contract/responses";

export async function exportResource(storage: ObjectStorage, row: Export): Promise<z.output<typeof ExportSchema>> {
  const view = await exportView(storage, row, DOWNLOAD_URL_SECONDS);
  return {
    id: view.id,
    object: "export",
    scope: view.scope as z.output<typeof ExportSchema>["scope"],
    status: view.status,
    progress: view.progress,
    image_count: view.itemCount,
    bytes: view.bytes,
    error: view.error,
    created_at: view.createdAt,
    finished_at: view.finishedAt,
    expires_at: view.expiresAt,
    download_url: view.download?.url ?? null,
    download_expires_at: view.download?.expiresAt ?? null,
  };
}
