import type { Db } from "~/db.server";

/**
 * Every row of every table in the public schema, as text: what an attacker with a copy of
 * the database would read.
 */
export async function rawDump(db: Db): Promise<string> {
  const tables = await db.$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
  const parts: string[] = [];
  for (const { tablename } of tables) {
    const rows = await db.$queryRawUnsafe<Array<{ row: string }>>(
      `SELECT row_to_json(t)::text AS row FROM "${tablename.replaceAll('"', '""')}" t`,
    );
    parts.push(`-- ${tablename}`, ...rows.map((r) => r.row));
  }
  return parts.join("\n");
}

/** Rows in any table that mention the shop's domain or id (what "the shop owns"). */
export async function rowsMentioning(db: Db, needles: string[], ignoreTables: string[] = []): Promise<string[]> {
  const dump = await rawDump(db);
  let table = "";
  const hits: string[] = [];
  for (const line of dump.split("\n")) {
    if (line.startsWith("-- ")) {
      table = line.slice(3);
      continue;
    }
    if (ignoreTables.includes(table)) continue;
    if (needles.some((needle) => needle && line.includes(needle))) hits.push(`${table}: ${line}`);
  }
  return hits;
}
