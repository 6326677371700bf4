// Gallery changes of one product run one at a time in this process: a publish reads the gallery
// before it adds (to recognise its new media) and a replace or revert rewrites the whole list, so
// two of them interleaving could drop each other's work. Across processes (BullMQ workers) the
// steps stay correct on their own; see docs/decisions/0051-idempotent-publish-jobs.md.
const tails = new Map<string, Promise<unknown>>();

export async function withProductLock<T>(shopId: string, productId: string, work: () => Promise<T>): Promise<T> {
  const key = `${shopId}:${productId}`;
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(work);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
