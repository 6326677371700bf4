import { describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { loader } from "~/routes/healthz";

describe("GET /healthz", () => {
  it("answers 200 while the database is reachable", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: "up" });
  });

  it("answers 503 when the database is gone", async () => {
    await (await database()).close();
    const response = await loader();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, database: "down" });
  });
});
