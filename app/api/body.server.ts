import { ApiProblem } from "./problem.server";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(limit: number) {
  return new ApiProblem(
    413,
    "PAYLOAD_TOO_LARGE",
    "Request too large",
    `The request body is larger than ${limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MB` : `${Math.round(limit / 1024)} KB`}. Send less data.`,
  );
}

/** Reads the whole body, refusing (413) more than `limit` bytes: by Content-Length first, then while reading. */
export async function readBodyLimited(request: Request, limit: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
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
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
