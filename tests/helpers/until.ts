// Waiting for something a test cannot be told about (a process, a queue, another machine).
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `check` is true; past `timeoutMs` throws "timed out waiting for <what>", followed
 * by what `explain` says (a process's log, the jobs still open) so a red run says why.
 */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000, explain?: () => string | Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const detail = explain ? `\n${(await explain()).slice(-8000)}` : "";
      throw new Error(`timed out waiting for ${what}${detail}`);
    }
    await sleep(50);
  }
}
