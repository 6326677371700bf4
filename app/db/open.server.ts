// Opens the database without side effects (tests and tools open their own; the app uses
// app/db.server.ts). See docs/decisions/0002-*.
import { mkdirSync } from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { PrismaClient } from "~/generated/prisma/client";

import { migrate } from "./migrate.server";

export type Database = {
  prisma: PrismaClient;
  kind: "pglite" | "postgresql";
  close(): Promise<void>;
};

export async function openDatabase(url: string | undefined, dataDir: string): Promise<Database> {
  if (url && /^postgres(ql)?:/.test(url)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate({
        exec: (sql) => client.query(sql),
        query: async <Row,>(sql: string, params?: unknown[]) =>
          (await client.query(sql, params)) as unknown as { rows: Row[] },
      });
    } finally {
      await client.end();
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
    return { prisma, kind: "postgresql", close: () => prisma.$disconnect() };
  }

  let dir: string | undefined;
  if (!url) {
    dir = path.resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
  }
  const pglite = await PGlite.create(dir ? { dataDir: dir } : undefined);
  await migrate({ exec: (sql) => pglite.exec(sql), query: (sql, params) => pglite.query(sql, params) });
  // pglite-prisma-adapter 0.6 is built against an older @prisma/driver-adapter-utils whose
  // types differ only nominally; the runtime contract is the same (tests run on it).
  const adapter = new PrismaPGlite(pglite) as unknown as SqlDriverAdapterFactory;
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    kind: "pglite",
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
