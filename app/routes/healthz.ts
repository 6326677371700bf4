import { json } from "@remix-run/node";

import { checkHealth } from "~/health/check-health.server";
import { services } from "~/http/services.server";

export async function loader() {
  const health = await checkHealth(services().db);
  return json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
