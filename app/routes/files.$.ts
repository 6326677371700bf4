import type { LoaderFunctionArgs } from "@remix-run/node";

import { services } from "~/http/services.server";
import { serveDiskObject } from "~/storage/index.server";
import { diskStorageConfig } from "~/storage/from-env.server";

/** Serves presigned local-disk objects (embedded default); with R2 the URLs point at R2. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { storage } = services();
  if (storage.kind !== "disk") return new Response("Not found", { status: 404 });
  const { signingSecret, publicBaseUrl } = diskStorageConfig();
  return serveDiskObject(request, { storage, signingSecret, publicBaseUrl });
}
