// Runs before every test file (vitest setupFiles), before the file imports the app.
// Every test file gets its own empty, migrated database:
//   default                    -> in-memory PGlite (DATABASE_URL=memory://)
//   TEST_POSTGRES_URL=postgres://.../postgres -> a fresh database on that server, dropped after
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { afterAll } from "vitest";

import { createTestDatabase } from "../helpers/postgres";

process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET_KEY;
process.env.SHOPIFY_APP_URL = APP_URL;
process.env.ENCRYPTION_KEYS = `test1:${Buffer.alloc(32, 7).toString("base64")}`;
delete process.env.SHOPIFY_SIMULATOR_URL;

const adminUrl = process.env.TEST_POSTGRES_URL;
if (adminUrl) {
  const testDb = await createTestDatabase(adminUrl);
  process.env.DATABASE_URL = testDb.url;
  afterAll(async () => {
    const { database } = await import("~/db.server");
    await (await database()).close().catch(() => undefined);
    await testDb.drop();
  });
} else {
  process.env.DATABASE_URL = "memory://";
}
