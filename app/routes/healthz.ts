import { json } from "@remix-run/node";

import { db } from "~/db.server";
import { checkHealth } from "~/health/check-health.server";

export async function loader() {
  const health = await checkHealth(db);
  return json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
