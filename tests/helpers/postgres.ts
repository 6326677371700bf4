import { randomBytes } from "node:crypto";

import pg from "pg";

/** A PostgreSQL server for tests: TEST_PG_ADMIN_URL / TEST_POSTGRES_URL, else the machine's default. */
export async function testPostgresAdminUrl(): Promise<string | null> {
  const url = process.env.TEST_PG_ADMIN_URL ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return url;
  } catch {
    if (process.env.CI === "true") throw new Error(`PostgreSQL is required in CI but ${url} does not answer`);
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh, empty database on that server; `drop()` removes it. */
export async function createTestDatabase(adminUrl: string) {
  const name = `lbx_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
