/**
 * The result of a Prisma `update` / `delete` whose `where` may match nothing (Prisma throws
 * P2025 then), or null when it matched no row. Other errors pass through.
 */
export async function nullIfNoRow<T>(query: Promise<T>): Promise<T | null> {
  try {
    return await query;
  } catch (error) {
    if ((error as { code?: string }).code === "P2025") return null;
    throw error;
  }
}
