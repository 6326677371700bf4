import { readBodyLimited as readBody } from "~/http/read-body.server";

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
export function readBodyLimited(request: Request, limit: number): Promise<Buffer> {
  return readBody(request, limit, () => tooLarge(limit));
}
