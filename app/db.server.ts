// The app's Prisma client, on the PostgreSQL dialect:
//   DATABASE_URL unset            -> embedded PGlite stored in DATA_DIR/pglite (default)
//   DATABASE_URL=memory://        -> in-memory PGlite (tests)
//   DATABASE_URL=postgresql://... -> a PostgreSQL server
// Pending migrations are applied on connect. See docs/decisions/0002-*.
import { openDatabase, type Database } from "~/db/open.server";
import { env } from "~/env.server";
import type { PrismaClient, Prisma } from "~/generated/prisma/client";

export { openDatabase, type Database };
export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => ...)`. */
export type DbTx = Prisma.TransactionClient;

const globalForDb = globalThis as unknown as { __lightboxDatabase?: Promise<Database> };

/** The process-wide database (one PGlite may only be opened once per data dir). */
export function database(): Promise<Database> {
  globalForDb.__lightboxDatabase ??= openDatabase(env().databaseUrl, env().dataDir);
  return globalForDb.__lightboxDatabase;
}

export const db: PrismaClient = (await database()).prisma;
