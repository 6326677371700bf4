// Route-level proof that a mistyped token is refused before the database is asked: with the
// database gone, a bad checksum still gets its 401, while a well-formed token cannot be
// checked at all (500). Its own file, because the database stays gone.
import pg from "pg";
import { describe, expect, it } from "vitest";

import { resetHotCaches } from "~/cache/hot-cache.server";
import { database, db } from "~/db.server";
import { createApiToken } from "~/tokens/create-token.server";

import { installShop } from "../helpers/admin";
import { call } from "./support/api";

describe("token pre-check on a closed database", () => {
  it("a wrong checksum or a truncated token is answered without the database", async () => {
    const shop = await installShop("precheck.myshopify.com");
    const { plaintext } = await createApiToken(db, { shopId: shop.id, name: "t", scopes: ["read"] });
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);

    await makeDatabaseUnreachable();

    const flipped = plaintext.slice(0, 20) + (plaintext[20] === "x" ? "y" : "x") + plaintext.slice(21);
    const typo = await call("/api/v1/me", { token: flipped });
    expect(typo.status).toBe(401);
    expect(typo.body.detail).toMatch(/checksum/);
    const cut = await call("/api/v1/me", { token: plaintext.slice(0, 30) });
    expect(cut.status).toBe(401);
    expect(cut.body.detail).toMatch(/40 characters/);

    // Control: the real token needs the database, which is gone (once the in-memory caches that
    // would otherwise answer a recently used token are dropped).
    resetHotCaches();
    const original = console.error;
    console.error = () => undefined;
    try {
      const real = await call("/api/v1/me", { token: plaintext });
      expect(real.status).toBe(500);
      expect(real.body.code).toBe("INTERNAL");
      expect(real.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    } finally {
      console.error = original;
    }
  });
});

/** PGlite: close it. PostgreSQL: also refuse new connections to this test's database and end the open ones. */
async function makeDatabaseUnreachable() {
  const handle = await database();
  await handle.close();
  if (handle.kind !== "postgresql") return;
  const name = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
  } finally {
    await admin.end();
  }
}
