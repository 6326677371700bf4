// Runs s3rver in its own Node process, started by s3rver-harness.ts as
//   node --openssl-legacy-provider s3rver-child.ts <directory> <bucket>
// s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers
// through the legacy provider; without it every truncated listing answers 500.
// Prints {"port":N} on stdout once listening; exits when stdin closes (parent gone) or on SIGTERM.
import S3rver from "s3rver";

const [directory, bucket] = process.argv.slice(2);
if (!directory || !bucket) {
  console.error("usage: s3rver-child.ts <directory> <bucket>");
  process.exit(2);
}

const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  directory,
  silent: process.env.S3RVER_LOG !== "1",
  configureBuckets: [{ name: bucket, configs: [] }],
});

// s3rver deletes the keys of one DeleteObjects request concurrently, then prunes empty
// directories with an unguarded readdir/rmdir: two deletes emptying one directory race and one
// answers InternalError (ENOENT). Real S3/R2 have no directories, so run its deletes one by one.
const store = (server as unknown as { store: { deleteObject(bucket: string, key: string): Promise<void> } }).store;
const deleteObject = store.deleteObject.bind(store);
let chain: Promise<unknown> = Promise.resolve();
store.deleteObject = (b: string, key: string) => {
  const next = chain.then(() => deleteObject(b, key));
  chain = next.catch(() => undefined);
  return next;
};

const address = await server.run();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await server.close().catch(() => undefined);
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.stdin.on("end", shutdown);
process.stdin.resume();
