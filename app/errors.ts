// The one error type for failures a user can act on. Every domain error (credits, images,
// generation, publishing, Shopify, storage, tokens) and the API's own problems extend AppError
// and carry what the edge needs: a machine code, an HTTP status, a short title, a message that
// says what to fix, optional per-field errors and response headers. The edge maps it in one
// place each: app/http/errors.server.ts (admin banner JSON) and app/api/problem.server.ts
// (problem+json). Domain code never builds a Response, and nothing matches on error names.

/** Codes whose status is fixed; domain errors may use their own codes with an explicit status. */
export const GENERIC_STATUS = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  PAYMENT_REQUIRED: 402,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UPSTREAM: 502,
  UNAVAILABLE: 503,
} as const;
export type AppErrorCode = keyof typeof GENERIC_STATUS;

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  402: "Not enough credits",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Upload too large",
  415: "Unsupported media type",
  422: "Invalid input",
  429: "Too many requests",
  502: "Upstream error",
  503: "Unavailable",
};

export type AppErrorOptions = {
  /** Required for codes outside GENERIC_STATUS. */
  status?: number;
  /** Short summary of the kind of problem; defaults by status. */
  title?: string;
  /** Per-field messages (camelCase or snake_case field names). */
  fieldErrors?: Record<string, string>;
  /** Response headers the edge must send (Retry-After, WWW-Authenticate, Allow). */
  headers?: Record<string, string>;
  /** Whether trying the same thing again later may succeed (the job runner reads it). */
  retryable?: boolean;
  /**
   * What the user is told when `message` is for logs (e.g. a storage driver's error text).
   * Default: `message`, which must then be written for the user.
   */
  userMessage?: string;
  /** A fault on our side or a dependency's: logged when it reaches the edge. */
  log?: boolean;
  cause?: unknown;
};

export class AppError extends Error {
  override name = "AppError";
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly fieldErrors: Record<string, string> | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly retryable: boolean | undefined;
  readonly userMessage: string;
  readonly log: boolean;

  constructor(code: AppErrorCode, message: string, options?: AppErrorOptions);
  constructor(code: string, message: string, options: AppErrorOptions & { status: number });
  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const status = options.status ?? GENERIC_STATUS[code as AppErrorCode];
    if (status === undefined) throw new TypeError(`AppError code ${code} needs an explicit status`);
    this.code = code;
    this.status = status;
    this.title = options.title ?? TITLES[status] ?? "Error";
    this.fieldErrors = options.fieldErrors && Object.keys(options.fieldErrors).length > 0 ? options.fieldErrors : undefined;
    this.headers = options.headers;
    this.retryable = options.retryable;
    this.userMessage = options.userMessage ?? message;
    this.log = options.log ?? false;
  }
}

export function notFound(what: string): AppError {
  return new AppError("NOT_FOUND", `${what} was not found.`);
}

/** PostgreSQL cannot store U+0000; it reaches us from any id or text a client sent. */
const NUL_IN_TEXT = 'invalid byte sequence for encoding "UTF8": 0x00';

/**
 * Any thrown value as an AppError, or null for a real fault (a bug, the database down): the
 * edge answers those with a bare 500 and logs them.
 */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.message.includes(NUL_IN_TEXT)) {
    return new AppError("INVALID_TEXT", "Ids and text cannot contain the NUL character (\\u0000). Remove it and send the request again.", {
      status: 400,
      cause: error,
    });
  }
  return null;
}
