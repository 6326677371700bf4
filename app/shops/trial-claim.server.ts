// Trial credits once per store, across uninstalls: the TrialClaim table holds a keyed hash of the
// shop domain (HMAC-SHA256 with a key derived from ENCRYPTION_KEYS), never the domain, and has no
// relation to Shop, so the purge leaves it. A claim under an older key still counts (rotation),
// and is stored again under the newest key. See docs/decisions/0062-trial-once-per-store.md.
import { createHmac } from "node:crypto";

import type { DbTx } from "~/db.server";
import { derivedKeys } from "~/tokens/secrets.server";

const PURPOSE = "trial-claim";

/** The domain's hash under every configured key, newest first. */
export function trialClaimHashes(shopDomain: string): string[] {
  const domain = shopDomain.trim().toLowerCase();
  return derivedKeys(PURPOSE).map(({ id, key }) => `${id}:${createHmac("sha256", key).update(domain, "utf8").digest("hex")}`);
}

/**
 * Records that the store has had its trial. True only for the first claim ever (concurrent
 * claims: exactly one wins, by the primary key); run it in the transaction that grants the trial.
 */
export async function claimTrial(tx: DbTx, shopDomain: string): Promise<boolean> {
  const [newest, ...older] = trialClaimHashes(shopDomain);
  if (older.length > 0) {
    const earlier = await tx.trialClaim.count({ where: { domainHash: { in: older } } });
    if (earlier > 0) {
      await tx.trialClaim.createMany({ data: [{ domainHash: newest! }], skipDuplicates: true });
      return false;
    }
  }
  const { count } = await tx.trialClaim.createMany({ data: [{ domainHash: newest! }], skipDuplicates: true });
  return count === 1;
}
