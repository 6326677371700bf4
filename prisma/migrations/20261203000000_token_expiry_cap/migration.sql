-- Every API token expires (docs/decisions/0073-abuse-limits.md). Tokens made with "never" get the
-- longest lifetime a new token can have, counted from their creation, and at least 30 more days
-- from now, so no script stops working the moment this is deployed.
UPDATE "ApiToken"
   SET "expiresAt" = GREATEST("createdAt" + INTERVAL '366 days', CURRENT_TIMESTAMP + INTERVAL '30 days')
 WHERE "expiresAt" IS NULL;
