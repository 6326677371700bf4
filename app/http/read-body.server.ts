/**
 * Reads a request (or response) body, refusing more than `limit` bytes: by Content-Length before reading, then
 * by counting while reading (a missing or lying header stops at the limit, never buffering more).
 */
export async function readBodyLimited(request: Pick<Request, "headers" | "body">, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
