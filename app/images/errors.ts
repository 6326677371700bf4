import { AppError } from "~/errors";

/** Why an upload was refused. Stable strings: API clients and the admin UI branch on them. */
export type ImageRejectionCode =
  | "EMPTY"
  | "TOO_LARGE"
  | "TOO_MANY_PIXELS"
  | "TOO_SMALL"
  | "UNSUPPORTED_FORMAT"
  | "ANIMATED"
  | "CORRUPT";

const STATUS: Record<ImageRejectionCode, 413 | 415 | 422> = {
  EMPTY: 422,
  TOO_LARGE: 413,
  TOO_MANY_PIXELS: 422,
  TOO_SMALL: 422,
  UNSUPPORTED_FORMAT: 415,
  ANIMATED: 415,
  CORRUPT: 422,
};

const TITLES = { 413: "Upload too large", 415: "Unsupported image", 422: "Invalid image" } as const;

/**
 * An upload we will not store. `message` is written for the merchant (what is wrong and what
 * to do about it) and is safe to show as-is; `detail` is for logs only.
 */
export class ImageRejectedError extends AppError {
  override name = "ImageRejectedError";
  declare readonly code: ImageRejectionCode;
  readonly httpStatus: 413 | 415 | 422;
  /** What the bytes turned out to be, when known (e.g. "html", "gif", "heic"). */
  readonly detectedFormat?: string;
  readonly detail?: string;

  constructor(code: ImageRejectionCode, message: string, options: { detectedFormat?: string; detail?: string; cause?: unknown } = {}) {
    super(code, message, { status: STATUS[code], title: TITLES[STATUS[code]], cause: options.cause });
    this.httpStatus = STATUS[code];
    this.detectedFormat = options.detectedFormat;
    this.detail = options.detail;
  }
}
