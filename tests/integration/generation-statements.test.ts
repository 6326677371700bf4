// The generation hot path's statement budget (docs/decisions/0035-generation-hot-path.md, 0098):
// starting a generation is 9 statements (7 of them one transaction), its job 6, and the embedded queue
// starts a dispatched job without looking for due jobs first. Counted at the PGlite driver
// adapter, so BEGIN/COMMIT and the statements Prisma adds count too.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-tests";
  process.env.GEMINI_IMAGES_PER_MINUTE = "100000";
  // The fidelity check follows as a job of its own (ADR 0095: one more INSERT "Job" when the
  // generation ends, then its own statements); `npm run bench -- generate` measures it beside.
  process.env.FIDELITY_CHECK = "off";
});

import { ingestAsset } from "~/assets/ingest-asset.server";
import { grantCredits } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { createGeneration } from "~/generation/create-generation.server";
import { createGeminiProvider } from "~/generation/gemini.server";
import { setProviderFactory } from "~/generation/provider-for-shop.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { createStorage } from "~/storage/index.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";
import { countStatements, HARNESS_SQL, resetStatementCounts, statementCounts } from "../helpers/count-statements";

const photo = readFileSync(path.resolve(__dirname, "../fixtures/images/valid-photo.jpg"));
// The poll is far away: whatever starts the job here is the dispatch.
const queue = createEmbeddedQueue(db, { pollMs: 60_000, concurrency: 4 });
let fake: GeminiFake;
let root: string;

beforeAll(async () => {
  await countStatements();
  root = mkdtempSync(path.join(tmpdir(), "lightbox-statements-"));
  setAppStorage(createStorage({ ...diskStorageConfig(), root }));
  setJobQueue(queue);
  fake = await startGeminiFake({ apiKey: "lightbox-service-key-for-tests" });
  setProviderFactory((apiKey) => createGeminiProvider({ apiKey: apiKey ?? "", baseUrl: fake.baseUrl, requestTimeoutMs: 5_000 }));
  await queue.start();
});
afterAll(async () => {
  await queue.stop();
  await fake.stop();
  setProviderFactory(undefined);
  setJobQueue(undefined);
  rmSync(root, { recursive: true, force: true });
});

async function ended(id: string) {
  for (;;) {
    const [g] = await db.$queryRawUnsafe<Array<{ status: string }>>(`SELECT status FROM "Generation" WHERE id = $1 ${HARNESS_SQL}`, id);
    if (g?.status === "succeeded" || g?.status === "failed") return g.status;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(process.env.TEST_POSTGRES_URL)("generation statement budget", () => {
  it("GIVEN a shop with credits WHEN a 1-image generation is started and run THEN starting it takes 9 statements (a transaction of 7) and running it 6", async () => {
    const shop = await db.shop.create({ data: { domain: "statements.myshopify.com" } });
    await grantCredits(db, { shopId: shop.id, amount: 100, key: `grant:${shop.id}`, reason: "test" });
    const storage = createStorage({ ...diskStorageConfig(), root });
    const { asset } = await ingestAsset({ db, storage, shopId: shop.id, kind: "upload", bytes: photo });
    const ask = { shopId: shop.id, sourceAssetIds: [asset.id], presetId: "white-studio", aspectRatio: "4:5", variants: 1 };
    // A first one warms up what is read once per process.
    expect(await ended((await createGeneration(db, ask)).id)).toBe("succeeded");

    resetStatementCounts();
    const generation = await createGeneration(db, ask);
    expect(await ended(generation.id)).toBe("succeeded");
    const counted = statementCounts();

    expect(Object.fromEntries(counted.byKind)).toEqual({
      // Starting it: the sources are the shop's, the provider choice, then one transaction of 7.
      'SELECT "Asset"': 2, // ... and the job's read of the sources' keys
      'SELECT "Shop"': 1,
      BEGIN: 1,
      'INSERT "Generation"': 1,
      'UPDATE "Shop"': 1, // the debit
      'INSERT "CreditEntry"': 1,
      'SELECT "Job"': 1, // the shop's active-job limit; the queue starts the dispatched job without a look
      'INSERT "Job"': 1,
      COMMIT: 1,
      // Running it: claim and finish the job, start and finish the generation, store the asset.
      'UPDATE "Job"': 2,
      'UPDATE "Generation"': 2,
      'INSERT "Asset"': 1,
    });
    expect(counted.total).toBe(15);
  });
});
