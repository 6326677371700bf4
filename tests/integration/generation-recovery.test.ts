// What happens to a generation when its worker misbehaves: a process that keeps dying on it, a
// worker that stalls past its lease while another takes over, a worker without the Gemini key,
// and an internal failure the merchant must not read verbatim.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { creditBalance, debitCredits, grantCredits } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { reloadEnv } from "~/env.server";
import { GenerationError } from "~/generation/errors";
import { GENERATION_JOB } from "~/generation/generation-job.server";
import { createOfflineProvider } from "~/generation/offline.server";
import type { ImageProvider } from "~/generation/provider";
import { setProviderFactory } from "~/generation/provider-for-shop.server";
import { createJob } from "~/jobs/create-job.server";
import { runJob } from "~/jobs/run-job.server";
import { createStorage } from "~/storage/index.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";
import type { ObjectStorage } from "~/storage/types";

const photo = readFileSync(path.resolve(__dirname, "../fixtures/images/valid-photo.jpg"));
const offline = createOfflineProvider();
let root: string;
let storage: ObjectStorage;
/** What the "Gemini" provider does on each call, in order; afterwards it composes offline. */
let script: Array<() => Promise<void>> = [];
let calls = 0;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "lightbox-recovery-"));
  storage = createStorage({ ...diskStorageConfig(), root });
  setAppStorage(storage);
});
afterAll(() => {
  setProviderFactory(undefined);
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  script = [];
  calls = 0;
  setProviderFactory((apiKey) => {
    if (!apiKey) return offline;
    const scripted: ImageProvider = {
      id: "gemini",
      label: "Google Gemini (scripted)",
      async generate(request, options) {
        await script[calls++]?.();
        return offline.generate(request, options);
      },
      altText: (request, options) => offline.altText(request, options),
    };
    return scripted;
  });
});

/** A generation charged 4 credits for Gemini, with its job queued (as the web process leaves it). */
async function chargedGeneration(domain: string) {
  const shop = await db.shop.create({ data: { domain } });
  await grantCredits(db, { shopId: shop.id, amount: 10, key: `grant:${shop.id}`, reason: "test" });
  const { asset } = await ingestAsset({ db, storage, shopId: shop.id, kind: "upload", bytes: photo });
  const generation = await db.generation.create({
    data: {
      shopId: shop.id,
      provider: "gemini",
      creditsCharged: 4,
      model: "gemini-3-pro-image",
      prompt: "studio shot",
      aspectRatio: "1:1",
      resolution: "1K",
      variants: 1,
      sourceAssetIds: [asset.id],
      referenceAssetIds: [],
    },
  });
  await debitCredits(db, { shopId: shop.id, amount: 4, generationId: generation.id, reason: "1 × pro 1K" });
  const job = await createJob(db, { type: GENERATION_JOB, payload: { generationId: generation.id }, shopId: shop.id });
  return { shop, generation, job };
}

/** Runs as a worker whose environment has this Gemini service key (or none). */
async function withServiceKey<T>(key: string | undefined, run: () => Promise<T>): Promise<T> {
  const before = process.env.GEMINI_API_KEY;
  if (key === undefined) delete process.env.GEMINI_API_KEY;
  else process.env.GEMINI_API_KEY = key;
  reloadEnv();
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.GEMINI_API_KEY;
    else process.env.GEMINI_API_KEY = before;
    reloadEnv();
  }
}

describe("generation recovery", () => {
  it("GIVEN a job whose process died on it every time WHEN its lease runs out again THEN it is failed and refunded, not run once more", async () => {
    const { shop, generation, job } = await chargedGeneration("crash-loop.myshopify.com");
    // Two runs (the most a generation gets) both ended with the process gone: still 'running', lease over.
    await db.job.update({ where: { id: job.id }, data: { status: "running", attempts: 2, lockedBy: "dead-worker", leaseUntil: new Date(Date.now() - 1_000) } });
    const outcome = await withServiceKey("service-key", () => runJob(db, job.id, "worker-c"));
    expect(outcome).toBe("failed");
    expect(calls).toBe(0);
    const end = await db.generation.findUniqueOrThrow({ where: { id: generation.id } });
    expect(end.status).toBe("failed");
    expect(end.errorMessage).toBe("Lightbox stopped while working on this and could not finish it. Try again.");
    expect(await creditBalance(db, shop.id)).toBe(10);
  });

  it("GIVEN a worker that stalled past its lease WHEN another worker failed and refunded the generation meanwhile THEN the stalled one's late image is thrown away", async () => {
    const { shop, generation, job } = await chargedGeneration("stalled.myshopify.com");
    let release!: () => void;
    let waiting!: () => void;
    const stalled = new Promise<void>((resolve) => (waiting = resolve));
    script = [
      () => {
        waiting();
        return new Promise<void>((resolve) => (release = resolve)); // worker A: Gemini takes ages
      },
      async () => {
        throw new GenerationError("SAFETY_BLOCKED"); // worker B: refused
      },
    ];
    const a = withServiceKey("service-key", () => runJob(db, job.id, "worker-a"));
    await stalled;
    await db.job.update({ where: { id: job.id }, data: { leaseUntil: new Date(Date.now() - 1_000) } });
    expect(await withServiceKey("service-key", () => runJob(db, job.id, "worker-b"))).toBe("failed");
    release();
    expect(await a).toBe("skipped");

    const end = await db.generation.findUniqueOrThrow({ where: { id: generation.id }, include: { outputs: true } });
    expect(end.status).toBe("failed");
    expect(end.outputs).toHaveLength(0);
    expect(await db.asset.count({ where: { shopId: shop.id, kind: "generated" } })).toBe(0);
    expect(await creditBalance(db, shop.id)).toBe(10);
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("failed");
  });

  it("GIVEN a charged Gemini generation WHEN the worker has no Gemini key THEN it fails saying so and refunds (never an offline composite)", async () => {
    const { shop, generation, job } = await chargedGeneration("no-key.myshopify.com");
    expect(await withServiceKey(undefined, () => runJob(db, job.id, "keyless-worker"))).toBe("failed");
    const end = await db.generation.findUniqueOrThrow({ where: { id: generation.id }, include: { outputs: true } });
    expect(end.status).toBe("failed");
    expect(end.outputs).toHaveLength(0);
    expect(end.errorMessage).toBe(
      "Gemini is not available right now (this Lightbox server has no Gemini key), so nothing was made and your credits were refunded. Try again later.",
    );
    expect(await creditBalance(db, shop.id)).toBe(10);
  });

  it("GIVEN storage failing on both attempts THEN the merchant reads a plain message, not the server's error text", async () => {
    const { shop, generation, job } = await chargedGeneration("enospc.myshopify.com");
    const broken: ObjectStorage = {
      ...storage,
      put: async () => {
        throw Object.assign(new Error("ENOSPC: no space left on device, open '/var/lib/lightbox/objects/.tmp/9f2c1e.part'"), { code: "ENOSPC" });
      },
    };
    setAppStorage(broken);
    try {
      await withServiceKey("service-key", async () => {
        expect(await runJob(db, job.id, "w")).toBe("retrying");
        await db.job.update({ where: { id: job.id }, data: { runAt: new Date(Date.now() - 1) } });
        expect(await runJob(db, job.id, "w")).toBe("failed");
      });
    } finally {
      setAppStorage(storage);
    }
    const end = await db.generation.findUniqueOrThrow({ where: { id: generation.id } });
    expect(end.errorMessage).toBe("Something went wrong on our side while making this image, so it was not charged. Try again.");
    expect(end.errorMessage).not.toMatch(/ENOSPC|\/var\//);
    expect(await creditBalance(db, shop.id)).toBe(10);
  });
});

/** The generated objects a shop has on disk (relative keys). */
function generatedObjects(shopId: string): string[] {
  const dir = path.join(root, "shops", shopId, "generated");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Storage whose writes land, but whose write of a generated image never returns: a process killed right after storing the objects. */
function dyingAfterWrites(): { storage: ObjectStorage; writes: () => number; release(): void } {
  let writes = 0;
  let release!: () => void;
  const never = new Promise<void>((_resolve, reject) => (release = () => reject(new Error("released"))));
  return {
    storage: {
      ...storage,
      async put(key, body, options) {
        await storage.put(key, body, options);
        writes += 1;
        if (key.includes("/generated/")) await never;
      },
    },
    writes: () => writes,
    release: () => release(),
  };
}

describe("generation recovery: objects of a run killed before its row", () => {
  it("GIVEN a run killed after storing a variant but before its row WHEN the next attempt makes it THEN one asset and no stray objects", async () => {
    const { shop, generation, job } = await chargedGeneration("killed-after-put.myshopify.com");
    const dying = dyingAfterWrites();
    setAppStorage(dying.storage);
    const first = withServiceKey("service-key", () => runJob(db, job.id, "worker-a")).catch(() => "dead");
    try {
      while (dying.writes() < 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(generatedObjects(shop.id).length).toBeGreaterThan(0);
      await db.job.update({ where: { id: job.id }, data: { leaseUntil: new Date(Date.now() - 1_000) } });
    } finally {
      setAppStorage(storage);
    }
    expect(await withServiceKey("service-key", () => runJob(db, job.id, "worker-b"))).toBe("succeeded");
    dying.release();
    await first;

    const outputs = await db.asset.findMany({ where: { generationId: generation.id } });
    expect(outputs).toHaveLength(1);
    const known = outputs.flatMap((a) => [a.originalKey, a.displayKey, a.thumbKey]);
    expect(generatedObjects(shop.id)).toEqual([...new Set(known)].sort());
  });

  it("GIVEN a run killed after storing a variant WHEN the generation then fails for good THEN its objects are removed with the refund", async () => {
    const { shop, generation, job } = await chargedGeneration("killed-then-failed.myshopify.com");
    const dying = dyingAfterWrites();
    setAppStorage(dying.storage);
    const first = withServiceKey("service-key", () => runJob(db, job.id, "worker-a")).catch(() => "dead");
    try {
      while (dying.writes() < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      setAppStorage(storage);
    }
    // The next attempt is refused by Gemini: the generation fails and is refunded.
    script = [async () => undefined, async () => Promise.reject(new GenerationError("SAFETY_BLOCKED"))];
    calls = 1;
    await db.job.update({ where: { id: job.id }, data: { leaseUntil: new Date(Date.now() - 1_000) } });
    expect(await withServiceKey("service-key", () => runJob(db, job.id, "worker-b"))).toBe("failed");
    dying.release();
    await first;

    expect((await db.generation.findUniqueOrThrow({ where: { id: generation.id } })).status).toBe("failed");
    expect(await creditBalance(db, shop.id)).toBe(10);
    expect(generatedObjects(shop.id)).toEqual([]);
  });
});
