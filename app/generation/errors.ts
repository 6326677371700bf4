import { AppError } from "~/errors";

// One error type for everything that can go wrong while generating. `message` is written for
// the merchant (what happened, what to try); `detail` keeps the upstream text for logs.

export const GENERATION_ERROR_CODES = [
  "SAFETY_BLOCKED",
  "PROHIBITED_CONTENT",
  "RECITATION",
  "NO_IMAGE",
  "RATE_LIMITED",
  "QUOTA_EXHAUSTED",
  "UPSTREAM_UNAVAILABLE",
  "TIMEOUT",
  "CANCELLED",
  "INVALID_API_KEY",
  "PERMISSION_DENIED",
  "MODEL_NOT_FOUND",
  "BAD_REQUEST",
  "INVALID_INPUT",
  "UNKNOWN",
] as const;
export type GenerationErrorCode = (typeof GENERATION_ERROR_CODES)[number];

interface CodeInfo {
  message: string;
  /** Whether sending the same request again later may succeed. */
  retryable: boolean;
}

const CODE_INFO: Readonly<Record<GenerationErrorCode, CodeInfo>> = {
  SAFETY_BLOCKED: {
    message:
      "Gemini declined to generate this image for safety reasons. Try a different prompt or source photo.",
    retryable: false,
  },
  PROHIBITED_CONTENT: {
    message:
      "Gemini declined this request because the prompt or photo may contain prohibited content. Change the prompt or use a different photo.",
    retryable: false,
  },
  RECITATION: {
    message:
      "Gemini stopped because the result looked too close to existing copyrighted material. Try a different prompt or preset.",
    retryable: false,
  },
  NO_IMAGE: {
    message:
      "Gemini finished without returning an image. Try again, or describe the scene you want more concretely.",
    retryable: true,
  },
  RATE_LIMITED: {
    message:
      "Gemini is receiving too many requests right now (rate limit reached). Wait a minute and try again.",
    retryable: true,
  },
  QUOTA_EXHAUSTED: {
    message:
      "The Gemini API key has used up its quota. Check the key's plan and billing in Google AI Studio, or try again after the quota resets.",
    retryable: false,
  },
  UPSTREAM_UNAVAILABLE: {
    message: "Gemini is temporarily unavailable or overloaded. Try again in a few minutes.",
    retryable: true,
  },
  TIMEOUT: {
    message:
      "Gemini took too long to answer. Try again; a lower resolution usually finishes faster.",
    retryable: true,
  },
  CANCELLED: {
    message: "The generation was cancelled before Gemini answered.",
    retryable: true,
  },
  INVALID_API_KEY: {
    message:
      "The Gemini API key was rejected. Check the key in Settings, or create a new one in Google AI Studio.",
    retryable: false,
  },
  PERMISSION_DENIED: {
    message:
      "The Gemini API key is not allowed to make this request. Check in Google AI Studio that the Gemini API is enabled for the key's project and that billing is set up.",
    retryable: false,
  },
  MODEL_NOT_FOUND: {
    message:
      "The selected Gemini model is not available for this API key. Choose another model or contact support.",
    retryable: false,
  },
  BAD_REQUEST: {
    message:
      "Gemini could not process this request. Check that the source photos are valid JPEG, PNG or WebP images and try again.",
    retryable: false,
  },
  INVALID_INPUT: {
    message: "The generation settings are not valid. Check the photos and options and try again.",
    retryable: false,
  },
  UNKNOWN: {
    message: "Something went wrong while generating the image. Try again in a moment.",
    retryable: true,
  },
};

export function defaultMessage(code: GenerationErrorCode): string {
  return CODE_INFO[code].message;
}

export interface GenerationErrorOptions {
  /** Merchant-readable text; defaults to the code's standard message. */
  message?: string;
  retryable?: boolean;
  /** Technical detail for logs (upstream message, status). Never shown to merchants. */
  detail?: string;
  httpStatus?: number;
  /** Candidate finish reason from Gemini, when the error came from one. */
  finishReason?: string;
  /** promptFeedback.blockReason from Gemini, when the prompt was blocked. */
  blockReason?: string;
  /** Server's requested wait before retrying (Retry-After header or RetryInfo). */
  retryAfterMs?: number;
  /** HTTP attempts made before giving up. */
  attempts?: number;
  /** Text the model returned instead of an image, if any. */
  modelText?: string;
  cause?: unknown;
}

/** At the edge: 502 "Generation failed" with the merchant-readable message. */
export class GenerationError extends AppError {
  override readonly name = "GenerationError";
  declare readonly code: GenerationErrorCode;
  declare readonly retryable: boolean;
  readonly detail: string | undefined;
  readonly httpStatus: number | undefined;
  readonly finishReason: string | undefined;
  readonly blockReason: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number | undefined;
  readonly modelText: string | undefined;

  constructor(code: GenerationErrorCode, options: GenerationErrorOptions = {}) {
    super(code, options.message ?? CODE_INFO[code].message, {
      status: 502,
      title: "Generation failed",
      retryable: options.retryable ?? CODE_INFO[code].retryable,
      cause: options.cause,
    });
    this.detail = options.detail;
    this.httpStatus = options.httpStatus;
    this.finishReason = options.finishReason;
    this.blockReason = options.blockReason;
    this.retryAfterMs = options.retryAfterMs;
    this.attempts = options.attempts;
    this.modelText = options.modelText;
  }

  /** A copy with more context (used to add the attempt count after the retry loop). */
  with(extra: Partial<GenerationErrorOptions>): GenerationError {
    return new GenerationError(this.code, {
      message: this.message,
      retryable: this.retryable,
      detail: this.detail,
      httpStatus: this.httpStatus,
      finishReason: this.finishReason,
      blockReason: this.blockReason,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
      modelText: this.modelText,
      cause: this.cause,
      ...extra,
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      detail: this.detail,
      httpStatus: this.httpStatus,
      finishReason: this.finishReason,
      blockReason: this.blockReason,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
    };
  }
}

export function isGenerationError(value: unknown): value is GenerationError {
  return value instanceof GenerationError;
}
