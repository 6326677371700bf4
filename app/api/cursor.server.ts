// Pagination cursors: opaque to clients and bound to the shop. A cursor is the last row's id
// plus an HMAC over (shop, id), so another shop's ids cannot be used to probe this shop's pages
// and a tampered cursor is refused with a clear 400.
import { createHmac, timingSafeEqual } from "node:crypto";

import { currentDerivedKey } from "~/tokens/secrets.server";

import { ApiProblem } from "./problem.server";

const PURPOSE = "api-pagination-cursor";

function mac(shopId: string, id: string): Buffer {
  return createHmac("sha256", currentDerivedKey(PURPOSE).key).update(`${shopId}\u0000${id}`).digest().subarray(0, 12);
}

export function encodeCursor(shopId: string, id: string | null): string | null {
  if (!id) return null;
  return `${Buffer.from(id, "utf8").toString("base64url")}.${mac(shopId, id).toString("base64url")}`;
}

/** The row id inside a cursor from this shop, or a 400 problem. */
export function decodeCursor(shopId: string, cursor: string | null | undefined): string | null {
  if (!cursor) return null;
  const [idPart, macPart] = cursor.split(".");
  if (idPart && macPart) {
    const id = Buffer.from(idPart, "base64url").toString("utf8");
    const given = Buffer.from(macPart, "base64url");
    const expected = mac(shopId, id);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return id;
  }
  throw new ApiProblem(400, "INVALID_CURSOR", "Invalid cursor", "The cursor is not one this API returned for your shop. Pass next_cursor from the previous page unchanged, or leave it out for the first page.", {
    fieldErrors: { cursor: "Use next_cursor from the previous page" },
  });
}
