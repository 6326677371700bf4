// Counts the SQL statements the app sends to an embedded PGlite, at the driver adapter (below
// Prisma): every statement Prisma issues, plus BEGIN and COMMIT/ROLLBACK for each transaction.
// A harness's own statements (its polling) are left out when their SQL carries HARNESS_SQL
// (a comment): async context would not do, since Prisma batches concurrent queries and runs
// them in whichever caller's context came first.
import { PrismaPGlite } from "pglite-prisma-adapter";

type Query = { sql: string };
type Queryable = { performIO(query: Query): Promise<unknown>; startTransaction(isolation?: string): Promise<{ commit(): Promise<void>; rollback(): Promise<void> }> };

/** Put into a harness's raw SQL (`$queryRaw`) so that it is not counted. */
export const HARNESS_SQL = "/* harness */";

const counts = new Map<string, number>();
let patched = false;
let paused = false;

function count(kind: string) {
  if (paused) return;
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
}

/** The statement's verb and table, e.g. `UPDATE "Job"`, `SELECT "Asset"`, `BEGIN`. */
function describe(sql: string): string {
  const verb = (/^\s*(\w+)/.exec(sql)?.[1] ?? "?").toUpperCase();
  const table = /(?:FROM|INTO|UPDATE)\s+(?:"public"\.)?("\w+")/i.exec(sql)?.[1] ?? "";
  return table ? `${verb} ${table}` : verb;
}

export async function countStatements(): Promise<void> {
  if (patched) return;
  patched = true;
  // A throwaway adapter (connect does no I/O) reaches the classes every adapter shares, so this
  // works before or after the app's client has connected.
  const adapter = await (new PrismaPGlite({} as never) as unknown as { connect(): Promise<Queryable> }).connect();
  // The adapter and its transactions share this prototype (PGliteQueryable).
  const queryable = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as Queryable;
  const performIO = queryable.performIO;
  queryable.performIO = function (this: Queryable, query: Query) {
    if (!query.sql.includes(HARNESS_SQL)) count(describe(query.sql));
    return performIO.call(this, query);
  };
  const own = Object.getPrototypeOf(adapter) as Queryable;
  const startTransaction = own.startTransaction;
  own.startTransaction = async function (this: Queryable, isolation?: string) {
    count("BEGIN");
    const tx = await startTransaction.call(this, isolation);
    const { commit, rollback } = tx;
    tx.commit = () => (count("COMMIT"), commit.call(tx));
    tx.rollback = () => (count("ROLLBACK"), rollback.call(tx));
    return tx;
  };
}

/** Statements counted since the last reset, by kind, and their total. */
export function statementCounts(): { total: number; byKind: Array<[string, number]> } {
  const byKind = [...counts].sort((a, b) => b[1] - a[1]);
  return { total: byKind.reduce((sum, [, n]) => sum + n, 0), byKind };
}

/** While paused, nothing is counted (e.g. an idle poll between the measured phases). */
export function pauseCounting(pause: boolean): void {
  paused = pause;
}

export function resetStatementCounts(): void {
  counts.clear();
}
