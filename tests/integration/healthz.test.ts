import pg from "pg";
import { describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { loader } from "~/routes/healthz";

/** Takes the database away for real: the server's database is dropped, PGlite is closed. */
async function loseDatabase() {
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) {
    await (await database()).close();
    return;
  }
  const name = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
}

describe("GET /healthz", () => {
  it("answers 200 while the database is reachable", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: "up" });
  });

  it("answers 503 when the database is gone", async () => {
    await loseDatabase();
    const response = await loader();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, database: "down" });
  });
});
