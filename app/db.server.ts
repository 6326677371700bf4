// The Prisma client, on the PostgreSQL dialect:
//   DATABASE_URL unset            -> embedded PGlite stored in DATA_DIR/pglite (default)
//   DATABASE_URL=memory://        -> in-memory PGlite (tests)
//   DATABASE_URL=postgresql://... -> a PostgreSQL server
// Pending migrations are applied on connect. See docs/decisions/0002-*.
import { mkdirSync } from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { migrate } from "~/db/migrate.server";
import { env } from "~/env.server";
import { PrismaClient, type Prisma } from "~/generated/prisma/client";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => ...)`. */
export type DbTx = Prisma.TransactionClient;

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

const globalForDb = globalThis as unknown as { __lightboxDatabase?: Promise<Database> };

/** The process-wide database (one PGlite may only be opened once per data dir). */
export function database(): Promise<Database> {
  globalForDb.__lightboxDatabase ??= openDatabase(env().databaseUrl, env().dataDir);
  return globalForDb.__lightboxDatabase;
}

export const db: PrismaClient = (await database()).prisma;
