// Runs before every test file (vitest setupFiles), before the file imports the app.
// Every test file gets its own empty, migrated database:
//   default                    -> in-memory PGlite (DATABASE_URL=memory://)
//   TEST_POSTGRES_URL=postgres://.../postgres -> a fresh database on that server, dropped after
import { randomBytes } from "node:crypto";

import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import pg from "pg";
import { afterAll } from "vitest";

process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET_KEY;
process.env.SHOPIFY_APP_URL = APP_URL;
process.env.ENCRYPTION_KEYS = `test1:${Buffer.alloc(32, 7).toString("base64")}`;
delete process.env.SHOPIFY_SIMULATOR_URL;

const adminUrl = process.env.TEST_POSTGRES_URL;
if (adminUrl) {
  const name = `lbx_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();

  afterAll(async () => {
    const { database } = await import("~/db.server");
    await (await database()).close().catch(() => undefined);
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });
} else {
  process.env.DATABASE_URL = "memory://";
}
