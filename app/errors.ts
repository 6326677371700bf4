// One error type for domain failures a user can act on; the edge maps it to HTTP (problem+json
// on the API, a Polaris banner in the admin). Domain code never builds a Response.
export type AppErrorCode =
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "PAYMENT_REQUIRED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNPROCESSABLE"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "UPSTREAM";

const STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  PAYMENT_REQUIRED: 402,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UPSTREAM: 502,
};

export class AppError extends Error {
  override name = "AppError";
  readonly status: number;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export function notFound(what: string): AppError {
  return new AppError("NOT_FOUND", `${what} was not found.`);
}
