// Newest-first pagination by (createdAt, id): a cursor names a position, not a row, so a page
// still continues correctly after the row it ended on was deleted (Prisma's row `cursor` would
// then return nothing and end the list early).

/** The largest page any list returns (the API documents and enforces the same bound). */
export const MAX_PAGE_SIZE = 100;

/** The page size to use: the asked-for limit (or the list's default), within 1..MAX_PAGE_SIZE. */
export function pageSize(limit: number | undefined, fallback: number): number {
  return Math.min(Math.max(limit ?? fallback, 1), MAX_PAGE_SIZE);
}

/** The cursor for the position right after this row. */
export function keysetCursor(row: { createdAt: Date; id: string } | undefined): string | null {
  return row ? `${row.createdAt.getTime()}:${row.id}` : null;
}

/** Rows after the cursor's position in `createdAt desc, id desc` order (no filter for none). */
export function afterKeyset(cursor: string | null | undefined): { OR: Array<Record<string, unknown>> } | Record<string, never> {
  if (!cursor) return {};
  const match = /^(\d{1,15}):(.{1,64})$/.exec(cursor);
  // Not one of ours (e.g. an older row-id cursor): start over rather than guess.
  if (!match) return {};
  const createdAt = new Date(Number(match[1]));
  const id = match[2]!;
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}
