import IORedis from "ioredis";

const redisUrlSetting = () => process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** The Redis the tests use: TEST_REDIS_URL, else the machine's default. Null when none answers. */
export async function testRedisUrl(): Promise<string | null> {
  const url = redisUrlSetting();
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch {
    if (process.env.CI === "true") throw new Error(`Redis is required in CI but ${url} does not answer`);
    return null;
  } finally {
    client.disconnect();
  }
}

/**
 * Deletes a test's BullMQ queue (every `bull:<name>:*` key, its repeatable sweep included), so
 * the machine's Redis, which CI and later sessions share, does not fill with dead test queues.
 */
export async function dropQueue(queueName: string): Promise<void> {
  const client = new IORedis(redisUrlSetting(), { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `bull:${queueName}:*`, "COUNT", 500);
      if (keys.length) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}
