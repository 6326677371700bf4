// Token scopes. `write` includes `read`: a token that may change things may also look at them.
export const TOKEN_SCOPES = ["read", "write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Sorted, deduplicated, with `read` added to any `write` token. */
export function normaliseScopes(scopes: readonly string[]): TokenScope[] {
  const set = new Set(scopes.filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s)));
  if (set.has("write")) set.add("read");
  return TOKEN_SCOPES.filter((scope) => set.has(scope));
}

export function hasScope(granted: readonly string[], needed: TokenScope): boolean {
  return needed === "read" ? granted.includes("read") || granted.includes("write") : granted.includes(needed);
}
