// Gemini image provider on the official @google/genai SDK. The SDK does the HTTP; this file
// owns request shaping, our own retry loop (budget, backoff, Retry-After / RetryInfo),
// per-attempt timeouts, and mapping every Gemini outcome to a GenerationError.

import {
  ApiError,
  type BlockedReason,
  type FinishReason,
  GoogleGenAI,
  type GenerateContentResponse,
  type Part,
  type Schema,
  Type,
} from "@google/genai";

import { GenerationError, type GenerationErrorCode } from "./errors";
import { BUILTIN_LINEUP, DEFAULT_ALT_TEXT_MODEL, DEFAULT_FIDELITY_MODEL, type ImageModelId } from "./models";
import {
  ALT_TEXT_MAX_LENGTH,
  type AltTextRequest,
  type FidelityRequest,
  type FidelityVerdict,
  type GenerateOptions,
  type GenerateRequest,
  type GenerateResult,
  type ImageData,
  type ImageProvider,
  truncateAtWord,
  validateGenerateRequest,
} from "./provider";
import { type Clock, DEFAULT_RETRY_POLICY, type RetryInfo, type RetryPolicy, runWithRetry, systemClock } from "./retry";

export interface GeminiProviderOptions {
  apiKey: string;
  /** API host, e.g. a local fake in tests. Default: Google's. */
  baseUrl?: string;
  /** "v1beta" (default) or "v1". */
  apiVersion?: string;
  /** Text model used for alt text. */
  altTextModel?: string;
  /** Text model used for the fidelity check. */
  fidelityModel?: string;
  /** Ask for ['TEXT', 'IMAGE'] instead of ['IMAGE'] (the model may then comment). */
  allowTextResponse?: boolean;
  /** Per-attempt timeout (ms). Default 90 s. Keep under 300 s (Node fetch's own limit). */
  requestTimeoutMs?: number;
  /** Total time in which retries may start (ms). Default 60 s. */
  retryBudgetMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  clock?: Clock;
  /** Low-level fetch (tests, proxies). Default: global fetch. */
  fetch?: typeof fetch;
  onRetry?: (info: RetryInfo & { operation: Operation }) => void;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 90_000;
const VALIDATE_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------
// Finish reasons and block reasons. Keyed by the SDK's enums so that a new value in a
// future SDK is a compile error here, not a silent "unknown".

interface OutcomeMapping {
  code: GenerationErrorCode;
  message?: string;
  retryable?: boolean;
}

const NO_IMAGE_RETRY = "Try again; if it keeps happening, describe the scene more concretely.";

/** How each candidate finish reason is reported when the candidate carries no image. */
export const FINISH_REASON_OUTCOMES: Readonly<Record<`${FinishReason}`, OutcomeMapping>> = {
  FINISH_REASON_UNSPECIFIED: {
    code: "NO_IMAGE",
    message: `Gemini stopped without an image and without saying why. ${NO_IMAGE_RETRY}`,
  },
  STOP: {
    code: "NO_IMAGE",
    message: `Gemini answered with text instead of an image. ${NO_IMAGE_RETRY}`,
  },
  MAX_TOKENS: {
    code: "NO_IMAGE",
    message: `Gemini ran out of output space before the image was finished. ${NO_IMAGE_RETRY}`,
  },
  SAFETY: { code: "SAFETY_BLOCKED" },
  IMAGE_SAFETY: {
    code: "SAFETY_BLOCKED",
    message:
      "Gemini generated an image but withheld it for safety reasons. Try a different prompt or source photo.",
  },
  SPII: {
    code: "SAFETY_BLOCKED",
    message:
      "Gemini declined because the request may contain personal information (for example names, addresses or faces). Remove it from the prompt or photo and try again.",
  },
  PROHIBITED_CONTENT: { code: "PROHIBITED_CONTENT" },
  IMAGE_PROHIBITED_CONTENT: {
    code: "PROHIBITED_CONTENT",
    message:
      "Gemini withheld the generated image because it may contain prohibited content. Change the prompt or use a different photo.",
  },
  BLOCKLIST: {
    code: "PROHIBITED_CONTENT",
    message:
      "Gemini declined because the prompt contains blocked terms. Rephrase the prompt and try again.",
  },
  RECITATION: { code: "RECITATION" },
  IMAGE_RECITATION: { code: "RECITATION" },
  LANGUAGE: {
    code: "BAD_REQUEST",
    message:
      "Gemini does not support the language of this prompt. Write the prompt in English and try again.",
  },
  OTHER: {
    code: "NO_IMAGE",
    message: `Gemini stopped for an unspecified reason without an image. ${NO_IMAGE_RETRY}`,
  },
  IMAGE_OTHER: {
    code: "NO_IMAGE",
    message: `Gemini could not finish the image. ${NO_IMAGE_RETRY}`,
  },
  NO_IMAGE: {
    code: "NO_IMAGE",
    message: `Gemini was asked for an image but did not produce one. ${NO_IMAGE_RETRY}`,
  },
  MALFORMED_FUNCTION_CALL: {
    code: "NO_IMAGE",
    message: `Gemini produced an invalid answer instead of an image. ${NO_IMAGE_RETRY}`,
  },
  UNEXPECTED_TOOL_CALL: {
    code: "NO_IMAGE",
    message: `Gemini produced an invalid answer instead of an image. ${NO_IMAGE_RETRY}`,
  },
  TOO_MANY_TOOL_CALLS: {
    code: "NO_IMAGE",
    message: `Gemini produced an invalid answer instead of an image. ${NO_IMAGE_RETRY}`,
  },
  MALFORMED_RESPONSE: {
    code: "NO_IMAGE",
    message: `Gemini returned a malformed answer. ${NO_IMAGE_RETRY}`,
  },
  CONTINUATION: {
    code: "NO_IMAGE",
    message: `Gemini stopped before the image was complete. ${NO_IMAGE_RETRY}`,
  },
};

/**
 * How each promptFeedback.blockReason is reported (no candidates at all). The proto
 * spells the default BLOCK_REASON_UNSPECIFIED, the SDK enum BLOCKED_REASON_UNSPECIFIED.
 */
export const BLOCK_REASON_OUTCOMES: Readonly<
  Record<`${BlockedReason}` | "BLOCK_REASON_UNSPECIFIED", OutcomeMapping>
> = {
  BLOCK_REASON_UNSPECIFIED: {
    code: "SAFETY_BLOCKED",
    message:
      "Gemini declined this request without giving a reason. Try a different prompt or source photo.",
  },
  BLOCKED_REASON_UNSPECIFIED: {
    code: "SAFETY_BLOCKED",
    message:
      "Gemini declined this request without giving a reason. Try a different prompt or source photo.",
  },
  SAFETY: {
    code: "SAFETY_BLOCKED",
    message:
      "Gemini declined this prompt or photo for safety reasons. Try a different prompt or source photo.",
  },
  OTHER: {
    code: "SAFETY_BLOCKED",
    message:
      "Gemini declined this request without giving a reason. Try a different prompt or source photo.",
  },
  BLOCKLIST: {
    code: "PROHIBITED_CONTENT",
    message:
      "Gemini declined because the prompt contains blocked terms. Rephrase the prompt and try again.",
  },
  PROHIBITED_CONTENT: { code: "PROHIBITED_CONTENT" },
  IMAGE_SAFETY: {
    code: "SAFETY_BLOCKED",
    message:
      "Gemini declined because a photo in the request was flagged for safety reasons. Use a different source or reference photo.",
  },
  MODEL_ARMOR: { code: "PROHIBITED_CONTENT" },
  JAILBREAK: {
    code: "PROHIBITED_CONTENT",
    message:
      "Gemini declined because the prompt looks like an attempt to bypass its rules. Rephrase the prompt and try again.",
  },
};

function outcomeError(
  mapping: OutcomeMapping | undefined,
  fallback: OutcomeMapping,
  extra: { finishReason?: string; blockReason?: string; detail?: string; modelText?: string },
): GenerationError {
  const m = mapping ?? fallback;
  return new GenerationError(m.code, {
    message: m.message,
    retryable: m.retryable,
    ...extra,
  });
}

// ---------------------------------------------------------------------------------------
// Google error envelope -> GenerationError

interface GoogleErrorDetail {
  "@type"?: string;
  reason?: string;
  retryDelay?: string;
  violations?: Array<{ quotaId?: string; quotaMetric?: string }>;
  [key: string]: unknown;
}

export interface GoogleErrorInfo {
  httpStatus: number;
  status?: string;
  message: string;
  reason?: string;
  retryDelayMs?: number;
  quotaIds: string[];
}

/** Parses the SDK's ApiError message, which is the JSON error envelope Google sent. */
export function parseGoogleError(httpStatus: number, raw: string): GoogleErrorInfo {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { httpStatus, message: raw, quotaIds: [] };
  }
  const error =
    body && typeof body === "object" && "error" in body
      ? (body as { error: Record<string, unknown> }).error
      : undefined;
  if (!error || typeof error !== "object") {
    return { httpStatus, message: raw, quotaIds: [] };
  }
  const details = Array.isArray(error.details) ? (error.details as GoogleErrorDetail[]) : [];
  const info: GoogleErrorInfo = {
    httpStatus,
    status: typeof error.status === "string" ? error.status : undefined,
    message: typeof error.message === "string" ? error.message : raw,
    quotaIds: [],
  };
  for (const d of details) {
    const type = d["@type"] ?? "";
    if (type.endsWith("google.rpc.ErrorInfo") && typeof d.reason === "string") {
      info.reason = d.reason;
    } else if (type.endsWith("google.rpc.RetryInfo") && typeof d.retryDelay === "string") {
      info.retryDelayMs = parseDuration(d.retryDelay);
    } else if (type.endsWith("google.rpc.QuotaFailure") && Array.isArray(d.violations)) {
      for (const v of d.violations) if (typeof v.quotaId === "string") info.quotaIds.push(v.quotaId);
    }
  }
  return info;
}

/** proto3 JSON Duration ("43s", "1.5s", "0.250s") -> ms. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function mapGoogleError(info: GoogleErrorInfo, headerRetryAfterMs?: number): GenerationError {
  const detail = `HTTP ${info.httpStatus}${info.status ? ` ${info.status}` : ""}${info.reason ? ` (${info.reason})` : ""}: ${info.message}`;
  const base = { detail, httpStatus: info.httpStatus };
  const msg = info.message;
  const s = info.httpStatus;
  const keyProblem =
    info.reason === "API_KEY_INVALID" ||
    info.reason === "API_KEY_EXPIRED" ||
    /api key (not valid|expired|was reported as leaked)|unregistered callers/i.test(msg);

  if (s === 401 || ((s === 400 || s === 403) && keyProblem)) {
    const message = /leaked/i.test(msg)
      ? "Google blocked this Gemini API key because it was reported as leaked. Create a new key in Google AI Studio and save it in Settings."
      : /expired/i.test(msg)
        ? "The Gemini API key has expired. Create a new key in Google AI Studio and save it in Settings."
        : undefined;
    return new GenerationError("INVALID_API_KEY", { ...base, message });
  }
  if (s === 400 && info.status === "FAILED_PRECONDITION") {
    const message = /location is not supported/i.test(msg)
      ? "Gemini is not available in the region this request came from. Contact support."
      : "Gemini refused the request because the API key's project is not set up for it (often: billing not enabled). Check the project in Google AI Studio.";
    return new GenerationError("PERMISSION_DENIED", { ...base, message });
  }
  if (s === 403) return new GenerationError("PERMISSION_DENIED", base);
  if (s === 404) return new GenerationError("MODEL_NOT_FOUND", base);
  if (s === 413) {
    return new GenerationError("INVALID_INPUT", {
      ...base,
      message: "The photos are too large to send to Gemini together. Use fewer or smaller photos.",
    });
  }
  if (s === 429) {
    const retryAfterMs = headerRetryAfterMs ?? info.retryDelayMs;
    const daily = info.quotaIds.some((id) => /PerDay/i.test(id));
    const noQuota = /limit: 0\b/.test(msg);
    if (daily || noQuota) {
      return new GenerationError("QUOTA_EXHAUSTED", {
        ...base,
        retryAfterMs,
        message: noQuota
          ? "This Gemini API key has no quota for the selected model (free-tier keys often cannot use image models). Enable billing for the key's project in Google AI Studio, or choose another model."
          : "The Gemini API key has used up its daily quota. Try again tomorrow, or raise the limit in Google AI Studio.",
      });
    }
    return new GenerationError("RATE_LIMITED", { ...base, retryAfterMs });
  }
  if (s === 408 || s === 499 || s >= 500) {
    return new GenerationError("UPSTREAM_UNAVAILABLE", { ...base, retryAfterMs: headerRetryAfterMs });
  }
  return new GenerationError("BAD_REQUEST", base);
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "TypeError" && /fetch failed|terminated|network/i.test(error.message)) return true;
  const cause = (error as { cause?: unknown }).cause as { code?: unknown } | undefined;
  return typeof cause?.code === "string" && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(cause.code);
}

// ---------------------------------------------------------------------------------------

type Operation = "generate" | "altText" | "fidelity";

/** The fidelity check's structured answer (responseSchema): a score and what drifted. */
export const FIDELITY_RESPONSE_SCHEMA: Schema = {
  type: Type.OBJECT,
  properties: {
    score: {
      type: Type.INTEGER,
      minimum: 0,
      maximum: 100,
      description: "100: the product in the result is the same as in the source photos; 0: a different product.",
    },
    reasons: {
      type: Type.ARRAY,
      maxItems: "5",
      items: { type: Type.STRING, description: "One difference of the product itself, e.g. 'The label reads LEMON instead of LIME'." },
    },
  },
  required: ["score", "reasons"],
  propertyOrdering: ["score", "reasons"],
};

/** Reads the model's JSON answer; anything else is a GenerationError (the check is then skipped). */
export function parseFidelityAnswer(raw: string): { score: number; reasons: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new GenerationError("UNKNOWN", { message: "Gemini's fidelity answer was not JSON.", detail: raw.slice(0, 200), retryable: true });
  }
  const answer = value as { score?: unknown; reasons?: unknown };
  if (typeof answer?.score !== "number" || !Number.isFinite(answer.score) || !Array.isArray(answer.reasons)) {
    throw new GenerationError("UNKNOWN", { message: "Gemini's fidelity answer lacked a score or reasons.", detail: raw.slice(0, 200), retryable: true });
  }
  const reasons = answer.reasons
    .filter((r): r is string => typeof r === "string")
    .map((r) => truncateAtWord(r.replace(/\s+/g, " ").trim(), 200))
    .filter(Boolean)
    .slice(0, 5);
  return { score: Math.max(0, Math.min(100, Math.round(answer.score))), reasons };
}

interface AttemptContext {
  retryAfterHeaderMs?: number;
}

class GeminiImageProvider implements ImageProvider {
  readonly id = "gemini" as const;
  readonly label = "Google Gemini";

  private readonly ai: GoogleGenAI;
  private readonly clock: Clock;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly options: GeminiProviderOptions) {
    if (!options.apiKey || !options.apiKey.trim()) {
      throw new GenerationError("INVALID_API_KEY", {
        message: "No Gemini API key is configured. Add a key in Settings.",
      });
    }
    this.ai = createClient(options.apiKey, options.baseUrl, options.apiVersion);
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.policy = {
      budgetMs: options.retryBudgetMs ?? DEFAULT_RETRY_POLICY.budgetMs,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
      maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    };
  }

  async generate(req: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
    validateGenerateRequest(req);
    const startedAt = this.clock.now();
    const parts = buildImageParts(req);
    let upstreamMs = 0;

    const outcome = await this.withRetry("generate", options, async (signal, ctx) => {
      const t0 = this.clock.now();
      const response = await this.ai.models.generateContent({
        model: req.model,
        contents: [{ role: "user", parts }],
        config: {
          responseModalities: this.options.allowTextResponse ? ["TEXT", "IMAGE"] : ["IMAGE"],
          imageConfig: { aspectRatio: req.aspectRatio, imageSize: req.resolution },
          abortSignal: signal,
          httpOptions: { fetch: this.recordingFetch(ctx) },
        },
      });
      upstreamMs = this.clock.now() - t0;
      return response;
    });

    const response = outcome.value;
    const parsed = interpretImageResponse(response);
    return {
      images: parsed.images,
      finishReason: parsed.finishReason,
      text: parsed.text,
      usage: {
        promptTokens: response.usageMetadata?.promptTokenCount ?? 0,
        outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0,
        thoughtsTokens: response.usageMetadata?.thoughtsTokenCount ?? 0,
        totalTokens: response.usageMetadata?.totalTokenCount ?? 0,
      },
      model: req.model,
      modelVersion: response.modelVersion ?? req.model,
      responseId: response.responseId ?? null,
      timings: {
        totalMs: this.clock.now() - startedAt,
        upstreamMs,
        waitedMs: outcome.waitedMs,
        attempts: outcome.attempts,
      },
    };
  }

  async altText(req: AltTextRequest, options: GenerateOptions = {}): Promise<string> {
    const title = sanitizeTitle(req.productTitle);
    const instruction = [
      `Write alt text for this product image${title ? ` of "${title}"` : ""} for an online store.`,
      `At most ${ALT_TEXT_MAX_LENGTH} characters, one plain sentence without quotes.`,
      "Describe what is visible: the product, its colour and the setting.",
      'Do not start with "Image of" or "Picture of", and do not invent details that are not visible.',
    ].join(" ");
    const outcome = await this.withRetry("altText", options, (signal, ctx) =>
      this.ai.models.generateContent({
        model: this.options.altTextModel ?? DEFAULT_ALT_TEXT_MODEL,
        contents: [{ role: "user", parts: [{ text: instruction }, inlinePart(req.image)] }],
        config: {
          maxOutputTokens: 256,
          abortSignal: signal,
          httpOptions: { fetch: this.recordingFetch(ctx) },
        },
      }),
    );
    const response = outcome.value;
    const blocked = blockedError(response);
    if (blocked) throw blocked;
    const text = cleanAltText(textOf(response));
    if (!text) {
      const reason = response.candidates?.[0]?.finishReason ?? "FINISH_REASON_UNSPECIFIED";
      if (reason !== "STOP" && reason !== "MAX_TOKENS") {
        throw outcomeError(FINISH_REASON_OUTCOMES[reason as `${FinishReason}`], FALLBACK_OUTCOME, {
          finishReason: reason,
        });
      }
      throw new GenerationError("NO_IMAGE", {
        message: "Gemini returned no alt text for this image. Try again.",
        finishReason: reason,
      });
    }
    return text;
  }

  async checkFidelity(req: FidelityRequest, options: GenerateOptions = {}): Promise<FidelityVerdict> {
    const model = this.options.fidelityModel ?? DEFAULT_FIDELITY_MODEL;
    const title = req.productTitle ? sanitizeTitle(req.productTitle) : "";
    const parts: Part[] = [
      {
        text: [
          `You check AI product photos for an online store${title ? ` (product: "${title}")` : ""}.`,
          "Compare the PRODUCT in the result image with the product in the source photo(s). Ignore the background, lighting, props, framing and camera angle.",
          "Look for drift of the product itself: its shape and proportions, its colours, the text on its label or packaging, its logo, and parts added or missing.",
          "Answer with a score from 0 to 100 (100: the same product, unchanged; below 70: a shopper would notice the product differs) and up to five short reasons, one per difference, naming what differs. No reasons when nothing differs.",
        ].join(" "),
      },
    ];
    req.sources.forEach((image, i) => {
      parts.push({ text: req.sources.length === 1 ? "Source photo:" : `Source photo ${i + 1}:` }, inlinePart(image));
    });
    parts.push({ text: "Result image:" }, inlinePart(req.result));
    const outcome = await this.withRetry("fidelity", options, (signal, ctx) =>
      this.ai.models.generateContent({
        model,
        contents: [{ role: "user", parts }],
        config: {
          responseMimeType: "application/json",
          responseSchema: FIDELITY_RESPONSE_SCHEMA,
          temperature: 0,
          maxOutputTokens: 1024,
          abortSignal: signal,
          httpOptions: { fetch: this.recordingFetch(ctx) },
        },
      }),
    );
    const response = outcome.value;
    const blocked = blockedError(response);
    if (blocked) throw blocked;
    const reason = response.candidates?.[0]?.finishReason ?? "FINISH_REASON_UNSPECIFIED";
    if (reason !== "STOP") {
      throw outcomeError(FINISH_REASON_OUTCOMES[reason as `${FinishReason}`], FALLBACK_OUTCOME, { finishReason: reason });
    }
    const answer = parseFidelityAnswer(textOf(response));
    return { ...answer, method: "gemini", model: response.modelVersion ?? model };
  }

  /** A fetch that remembers the Retry-After header of the attempt's response. */
  private recordingFetch(ctx: AttemptContext): typeof fetch {
    const base = this.options.fetch ?? globalThis.fetch;
    return async (input, init) => {
      const response = await base(input, init);
      const header = response.headers.get("retry-after");
      if (header) ctx.retryAfterHeaderMs = parseRetryAfter(header, this.clock.now());
      return response;
    };
  }

  private async withRetry<T>(
    operation: Operation,
    options: GenerateOptions,
    run: (signal: AbortSignal, ctx: AttemptContext) => Promise<T>,
  ) {
    const callerSignal = options.signal;
    const retryRateLimits = options.retryRateLimits ?? true;
    if (callerSignal?.aborted) throw new GenerationError("CANCELLED", { attempts: 0 });
    return runWithRetry(
      async () => {
        const ctx: AttemptContext = {};
        const timeout = new AbortController();
        const timer = setTimeout(() => timeout.abort(new Error("timeout")), this.timeoutMs);
        const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
        try {
          return await run(signal, ctx);
        } catch (error) {
          if (callerSignal?.aborted) {
            throw new GenerationError("CANCELLED", { cause: error });
          }
          if (timeout.signal.aborted) {
            throw new GenerationError("TIMEOUT", {
              message: `Gemini did not answer within ${Math.max(1, Math.round(this.timeoutMs / 1000))} s. Try again; a lower resolution usually finishes faster.`,
              detail: `request timed out after ${this.timeoutMs} ms`,
              cause: error,
            });
          }
          throw toGenerationError(error, ctx);
        } finally {
          clearTimeout(timer);
        }
      },
      {
        policy: this.policy,
        clock: this.clock,
        signal: callerSignal,
        // Only failures where Google did no billable work are retried here. A timeout may
        // still be generating (and billing) upstream, so it goes back to the caller.
        shouldRetry: (e) => (e.code === "RATE_LIMITED" && retryRateLimits) || e.code === "UPSTREAM_UNAVAILABLE",
        onRetry: (info) => this.options.onRetry?.({ ...info, operation }),
      },
    );
  }
}

const FALLBACK_OUTCOME: OutcomeMapping = { code: "NO_IMAGE" };

function toGenerationError(error: unknown, ctx: AttemptContext): GenerationError {
  if (error instanceof GenerationError) return error;
  if (error instanceof ApiError) {
    return mapGoogleError(parseGoogleError(error.status, error.message), ctx.retryAfterHeaderMs);
  }
  if (isNetworkError(error)) {
    return new GenerationError("UPSTREAM_UNAVAILABLE", {
      detail: `network error: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  return new GenerationError("UNKNOWN", {
    detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    cause: error,
  });
}

function createClient(apiKey: string, baseUrl?: string, apiVersion?: string): GoogleGenAI {
  return new GoogleGenAI({
    vertexai: false,
    apiKey,
    ...(apiVersion ? { apiVersion } : {}),
    ...(baseUrl ? { httpOptions: { baseUrl } } : {}),
  });
}

function inlinePart(image: ImageData): Part {
  return { inlineData: { mimeType: image.mimeType, data: Buffer.from(image.bytes).toString("base64") } };
}

/** The model ids the key's account lists (models.list, every page; free, no tokens). Throws Google's error as the SDK reports it. */
export async function listModelIds(apiKey: string, options: { baseUrl?: string; timeoutMs?: number } = {}): Promise<Set<string>> {
  const ai = createClient(apiKey, options.baseUrl);
  const pager = await ai.models.list({ config: { pageSize: 1000, abortSignal: AbortSignal.timeout(options.timeoutMs ?? 10_000) } });
  const ids = new Set<string>();
  // "models/gemini-3.5-flash-image" -> "gemini-3.5-flash-image"
  for await (const model of pager) if (model.name) ids.add(model.name.replace(/^models\//, ""));
  return ids;
}

/**
 * Prompt first, then each image preceded by a short label, so the model can tell the
 * product photo(s) from style references.
 */
export function buildImageParts(req: GenerateRequest): Part[] {
  const parts: Part[] = [{ text: req.prompt }];
  req.sources.forEach((image, i) => {
    parts.push({
      text:
        req.sources.length === 1
          ? "Source photo of the product:"
          : `Source photo ${i + 1} of ${req.sources.length} of the product:`,
    });
    parts.push(inlinePart(image));
  });
  (req.references ?? []).forEach((image, i) => {
    parts.push({
      text: `Style reference ${i + 1} (use only for mood, lighting and setting; do not copy any product from it):`,
    });
    parts.push(inlinePart(image));
  });
  return parts;
}

function blockedError(response: GenerateContentResponse): GenerationError | undefined {
  const blockReason = response.promptFeedback?.blockReason;
  if (!blockReason) return undefined;
  return outcomeError(BLOCK_REASON_OUTCOMES[blockReason as `${BlockedReason}`], BLOCK_REASON_OUTCOMES.OTHER, {
    blockReason,
    detail: response.promptFeedback?.blockReasonMessage ?? `prompt blocked: ${blockReason}`,
  });
}

function textOf(response: GenerateContentResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts
    .filter((p) => typeof p.text === "string" && !p.thought)
    .map((p) => p.text)
    .join("")
    .trim();
}

/** Turns a generateContent response into images, or throws the matching GenerationError. */
export function interpretImageResponse(response: GenerateContentResponse): {
  images: ImageData[];
  finishReason: string;
  text?: string;
} {
  const blocked = blockedError(response);
  if (blocked) throw blocked;

  const candidate = response.candidates?.[0];
  if (!candidate) {
    throw new GenerationError("NO_IMAGE", {
      message: `Gemini returned no result. ${NO_IMAGE_RETRY}`,
      detail: "response without candidates or promptFeedback",
    });
  }
  const finishReason = candidate.finishReason ?? "FINISH_REASON_UNSPECIFIED";
  const images: ImageData[] = [];
  for (const part of candidate.content?.parts ?? []) {
    // Thought parts (interim drafts of thinking models) are not results.
    if (part.thought) continue;
    const data = part.inlineData?.data;
    const mimeType = part.inlineData?.mimeType ?? "";
    if (data && mimeType.startsWith("image/")) {
      // Decoded once; a Buffer is the Uint8Array (no second copy).
      images.push({ bytes: Buffer.from(data, "base64"), mimeType });
    }
  }
  const text = textOf(response) || undefined;
  const mapping = FINISH_REASON_OUTCOMES[finishReason as `${FinishReason}`];
  const blocking = mapping && mapping.code !== "NO_IMAGE";
  if (images.length > 0 && !blocking) {
    return { images, finishReason, text };
  }
  throw outcomeError(mapping, FALLBACK_OUTCOME, {
    finishReason,
    modelText: text,
    // (The SDK drops candidate.finishMessage for the Gemini API, so only the reason is known.)
    detail: `finishReason=${finishReason}${text ? `; text: ${text.slice(0, 200)}` : ""}`,
  });
}

function sanitizeTitle(title: string): string {
  return title
    .replace(/[\p{Cc}\p{Cf}]+/gu, " ")
    .replace(/\s+/g, " ")
    .replace(/"/g, "'")
    .trim()
    .slice(0, 200);
}

/** One line, no wrapping quotes or "Alt text:" label, at most 125 characters. */
export function cleanAltText(raw: string): string {
  let text = raw
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^(alt[ -]?text|description)\s*:\s*/i, "")
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, "")
    .trim();
  text = truncateAtWord(text, ALT_TEXT_MAX_LENGTH);
  return text;
}

// ---------------------------------------------------------------------------------------

export function createGeminiProvider(options: GeminiProviderOptions): ImageProvider {
  return new GeminiImageProvider(options);
}

export type ApiKeyCheck =
  | { status: "valid" }
  | { status: "invalid"; error: GenerationError }
  /** Google could not be asked (network, overload, rate limit): try again later. */
  | { status: "unknown"; error: GenerationError };

/**
 * Checks a merchant's own key with a free metadata call (models.get on the deployment's default
 * image model): no tokens, no image. "invalid" also covers keys that cannot see the model.
 */
export async function validateApiKey(
  apiKey: string,
  options: Pick<GeminiProviderOptions, "baseUrl" | "apiVersion" | "requestTimeoutMs"> & {
    model?: ImageModelId;
  } = {},
): Promise<ApiKeyCheck> {
  if (!apiKey.trim()) {
    return {
      status: "invalid",
      error: new GenerationError("INVALID_API_KEY", { message: "Enter a Gemini API key." }),
    };
  }
  const ai = createClient(apiKey.trim(), options.baseUrl, options.apiVersion);
  const timeoutMs = options.requestTimeoutMs ?? VALIDATE_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    await ai.models.get({
      model: options.model ?? BUILTIN_LINEUP.default,
      config: { abortSignal: timeout },
    });
    return { status: "valid" };
  } catch (thrown) {
    const error = timeout.aborted
      ? new GenerationError("TIMEOUT", {
          message: "Google did not answer while checking the API key. Try again in a moment.",
        })
      : toGenerationError(thrown, {});
    const invalid: GenerationErrorCode[] = ["INVALID_API_KEY", "PERMISSION_DENIED", "MODEL_NOT_FOUND"];
    return invalid.includes(error.code)
      ? { status: "invalid", error }
      : { status: "unknown", error };
  }
}
