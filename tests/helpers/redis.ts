import IORedis from "ioredis";

/** The Redis the tests use: TEST_REDIS_URL, else the machine's default. Null when none answers. */
export async function testRedisUrl(): Promise<string | null> {
  const url = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
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
