/** A unique-key violation: Prisma's P2002, or the driver adapter's own message (PGlite / pg give no code). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002" || /unique constraint/i.test((error as Error | null)?.message ?? "");
}
