import type { LoaderFunctionArgs } from "@remix-run/node";

import { serveThumbnail } from "~/assets/thumbnail.server";
import { services } from "~/http/services.server";

/** A generated image's thumbnail on its first request: made, stored, served (ADR 0098). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, storage } = services();
  return serveThumbnail(request, { db, storage });
}
