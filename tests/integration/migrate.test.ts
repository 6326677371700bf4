import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

import { describe, expect, it } from "vitest";

import { listMigrations } from "~/db/migrate.server";
import { db } from "~/db.server";

describe("migrations", () => {
  it("applied every migration on connect, recorded the way Prisma Migrate records them", async () => {
    const migrations = await listMigrations();
    const rows = await db.$queryRaw<Array<{ migration_name: string; checksum: string; finished_at: Date | null }>>`
      SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const migration of migrations) {
      const sql = await readFile(`prisma/migrations/${migration.name}/migration.sql`);
      const row = rows.find((r) => r.migration_name === migration.name)!;
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
  });
});
