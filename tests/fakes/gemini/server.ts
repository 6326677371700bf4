// A local stand-in for the Gemini API (generativelanguage.googleapis.com) that the REAL
// @google/genai SDK talks to via `httpOptions.baseUrl`. Shapes follow the official protos
// (@google-ai/generativelanguage build/protos/google/ai/generativelanguage/v1beta/
// generative_service.proto) in their JSON (camelCase) form, and Google's error envelope
// ({ error: { code, message, status, details[] } }).
//
// Scriptable per test: `fake.next(behaviour, ...)` queues what the next model calls do;
// with an empty queue every call succeeds. Every request is recorded.

import { randomBytes } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";

import sharp from "sharp";

export interface GeminiFakeOptions {
  /** The only key accepted. Default "fake-gemini-key". */
  apiKey?: string;
  /**
   * The image models this account has (models.list answers them; any other id is 404 NOT_FOUND,
   * exactly as Google answers a retired or unknown model). Default FAKE_IMAGE_MODELS.
   */
  imageModels?: string[];
  textModels?: string[];
  /** Requests per rolling minute per model before 429 RESOURCE_EXHAUSTED. */
  quotaPerMinute?: number;
  /** The same for text models (alt text), which Google gives a quota of their own; default quotaPerMinute. */
  textQuotaPerMinute?: number;
  /** How long every model call takes when no behaviour says otherwise (ms); default 0. */
  latencyMs?: number;
  /** MIME type of generated images. Default "image/png". */
  imageMimeType?: "image/png" | "image/jpeg";
  /**
   * "flat" (default): a clean vector scene, about 0.1 MB as PNG at 1K, cheap for tests.
   * "photo": the same scene with photographic grain, so the PNG is as heavy as a real model
   * output (about 1.4 MB at 1K) to decode, hash and store: benchmarks use it.
   */
  imageDetail?: "flat" | "photo";
  /** Default answer of text models (alt text). */
  defaultText?: string;
  /**
   * Answer of text models asked for JSON with a fidelity responseSchema (score + reasons) when no
   * behaviour says otherwise. Default: a good match, { score: 94, reasons: [] }.
   */
  fidelity?: FidelityAnswer;
  /** Clock for the quota window. */
  now?: () => number;
}

/** The fidelity check's JSON answer (the app's responseSchema: score 0-100 and reasons). */
export interface FidelityAnswer {
  score: number;
  reasons: string[];
}

/**
 * What the next model call does. Fields are checked in this order: dropConnection, hang,
 * status, promptBlocked, finishReason, textOnly, text; otherwise success.
 */
export interface FakeBehaviour {
  /** Delay before answering (ms). */
  latencyMs?: number;
  /** Destroy the socket without an answer (network error). */
  dropConnection?: true;
  /** Never answer. */
  hang?: true;
  /** Answer with Google's error envelope for this HTTP status. */
  status?: number;
  /** Error message (default: Google's usual text for the status). */
  message?: string;
  /** Retry-After header, seconds (or an HTTP date). */
  retryAfter?: number | string;
  /** RetryInfo.retryDelay in the 429 details, e.g. "2s". 429 default "1s"; null: omit. */
  retryDelay?: string | null;
  /** QuotaFailure quotaId in the 429 details. */
  quotaId?: string;
  /** ErrorInfo.reason for 4xx errors. */
  reason?: string;
  /** promptFeedback.blockReason (no candidates). */
  promptBlocked?: string;
  /** Candidate finish reason; without `withImage` the candidate carries no image. */
  finishReason?: string;
  withImage?: boolean;
  /** The candidate is this text only (no image), finishReason STOP. */
  textOnly?: string;
  /** Text model answer. For image models: text next to the image. */
  text?: string;
  /** Add a thought part with an interim image before the final image. */
  thoughtImage?: boolean;
  /** Text model asked for JSON (responseMimeType application/json): answer with this object. */
  json?: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON as sent by the client; tests index it freely
type WireJson = any;

interface WirePart {
  text?: unknown;
  inlineData?: { mimeType?: unknown; data?: unknown };
  [field: string]: unknown;
}
interface WireRequest {
  contents?: unknown;
  generationConfig?: {
    responseModalities?: unknown;
    imageConfig?: { aspectRatio?: unknown; imageSize?: unknown; [field: string]: unknown };
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  apiVersion?: string;
  model?: string;
  /** "generateContent", "countTokens", "get", "list", ... */
  action?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, if any, exactly as the client sent it. */
  body?: WireJson;
  status?: number;
  receivedAt: number;
}

export interface GeminiFake {
  baseUrl: string;
  apiKey: string;
  requests: RecordedRequest[];
  next(...behaviours: FakeBehaviour[]): void;
  /** generateContent requests only. */
  generateRequests(): RecordedRequest[];
  /** 429s the per-minute quota answered (quotaPerMinute, textQuotaPerMinute). */
  quotaRefusals(): number;
  /**
   * What JSON fidelity requests answer from now on (when no queued behaviour says otherwise):
   * e.g. { score: 35, reasons: ["The label reads LEMON instead of LIME"] } to report drift.
   */
  setFidelity(answer: FidelityAnswer): void;
  /** generateContent requests asking for JSON (the fidelity check). */
  jsonRequests(): RecordedRequest[];
  /** generateContent requests to image models (the images themselves, no alt text or checks). */
  imageRequests(): RecordedRequest[];
  /** Google retires these image models: from now on they are 404 NOT_FOUND and missing from models.list. */
  retire(...models: string[]): void;
  /** Clears the queue, the recorded requests and a scripted fidelity answer, and brings retired models back. */
  reset(): void;
  stop(): Promise<void>;
}

export const FAKE_IMAGE_MODELS = ["gemini-3.5-flash-image", "gemini-3.1-flash-image", "gemini-3-pro-image", "gemini-3.1-flash-lite-image"];
export const FAKE_TEXT_MODELS = ["gemini-3.5-flash-lite", "gemini-3.1-flash-lite", "gemini-3.8-flash", "gemini-3.5-flash"];

const ASPECT_RATIOS = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];
const FLASH_EXTRA_RATIOS = ["1:4", "4:1", "1:8", "8:1"];

/** Output sizes at 1K as Google documents them (not exact ratios); 2K x2, 4K x4. */
const SIZE_1K: Record<string, [number, number]> = {
  "1:1": [1024, 1024],
  "2:3": [848, 1264],
  "3:2": [1264, 848],
  "3:4": [896, 1200],
  "4:3": [1200, 896],
  "4:5": [928, 1152],
  "5:4": [1152, 928],
  "9:16": [768, 1376],
  "16:9": [1376, 768],
  "21:9": [1584, 672],
  "1:4": [512, 2048],
  "4:1": [2048, 512],
  "1:8": [384, 3072],
  "8:1": [3072, 384],
};
const SIZE_FACTOR: Record<string, number> = { "512": 0.5, "1K": 1, "2K": 2, "4K": 4 };

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "NOT_IMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Request contains an invalid argument.",
  403: "The caller does not have permission",
  429: "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
  500: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  503: "The model is overloaded. Please try again later.",
  504: "Deadline expired before operation could complete.",
};

// Fields of GenerateContentRequest / GenerationConfig / ImageConfig in JSON form. The
// published protos lag the API (ImageConfig there has only aspect_ratio; imageSize is
// documented and accepted), so the image fields are listed from the API reference.
const REQUEST_FIELDS = new Set([
  "model",
  "contents",
  "tools",
  "toolConfig",
  "safetySettings",
  "systemInstruction",
  "generationConfig",
  "cachedContent",
]);
const GENERATION_CONFIG_FIELDS = new Set([
  "candidateCount",
  "stopSequences",
  "maxOutputTokens",
  "temperature",
  "topP",
  "topK",
  "seed",
  "responseMimeType",
  "responseSchema",
  "responseJsonSchema",
  "presencePenalty",
  "frequencyPenalty",
  "responseLogprobs",
  "logprobs",
  "enableEnhancedCivicAnswers",
  "responseModalities",
  "speechConfig",
  "thinkingConfig",
  "imageConfig",
  "mediaResolution",
]);
const IMAGE_CONFIG_FIELDS = new Set(["aspectRatio", "imageSize", "personGeneration"]);
const PART_DATA_FIELDS = [
  "text",
  "inlineData",
  "functionCall",
  "functionResponse",
  "fileData",
  "executableCode",
  "codeExecutionResult",
];
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const DEFAULT_FIDELITY: FidelityAnswer = { score: 94, reasons: [] };
const MAX_INPUT_IMAGES = 14;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: unknown[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function envelope(status: number, message: string, details: unknown[]) {
  return {
    error: {
      code: status,
      message,
      status: STATUS_NAMES[status] ?? (status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION"),
      ...(details.length > 0 ? { details } : {}),
    },
  };
}

function responseId(): string {
  return randomBytes(15).toString("base64url").slice(0, 20);
}

function tokensForText(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

const imageCache = new Map<string, Buffer>();

async function makeImage(width: number, height: number, mimeType: string, detail: "flat" | "photo" = "flat"): Promise<Buffer> {
  const key = `${width}x${height}:${mimeType}:${detail}`;
  const cached = imageCache.get(key);
  if (cached) return cached;
  const r = Math.round(Math.min(width, height) * 0.25);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#f4efe9"/><stop offset="1" stop-color="#d9cfc4"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <ellipse cx="${width / 2}" cy="${height / 2 + r}" rx="${r * 1.1}" ry="${r * 0.18}" fill="#00000033"/>
    <rect x="${width / 2 - r / 2}" y="${height / 2 - r}" width="${r}" height="${r * 2}" rx="${r * 0.15}" fill="#c81e28"/>
  </svg>`;
  const image = sharp(Buffer.from(svg));
  if (detail === "photo") {
    const grain = await sharp({ create: { width, height, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 8 } } }).png().toBuffer();
    image.composite([{ input: grain, blend: "soft-light" }]);
  }
  const bytes =
    mimeType === "image/jpeg" ? await image.jpeg({ quality: 85 }).toBuffer() : await image.png({ compressionLevel: 1 }).toBuffer();
  imageCache.set(key, bytes);
  return bytes;
}

/** "gemini-3.1-flash-lite-image" -> "Gemini 3.1 Flash Lite Image", as Google's displayName reads. */
function displayName(model: string): string {
  return model
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startGeminiFake(options: GeminiFakeOptions = {}): Promise<GeminiFake> {
  const apiKey = options.apiKey ?? "fake-gemini-key";
  const configuredImageModels = options.imageModels ?? FAKE_IMAGE_MODELS;
  const imageModels = [...configuredImageModels];
  const textModels = options.textModels ?? FAKE_TEXT_MODELS;
  const now = options.now ?? Date.now;
  const queue: FakeBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  const quotaLog = new Map<string, number[]>();
  let quotaRefusals = 0;
  const sockets = new Set<Socket>();

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        throw new HttpError(400, `Request payload size exceeds the limit: ${MAX_BODY_BYTES} bytes.`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  function checkKey(req: IncomingMessage, query: Record<string, string>) {
    const header = req.headers["x-goog-api-key"];
    const given = (Array.isArray(header) ? header[0] : header) ?? query.key;
    if (!given) {
      throw new HttpError(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (given !== apiKey) {
      throw new HttpError(400, "API key not valid. Please pass a valid API key.", [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "API_KEY_INVALID",
          domain: "googleapis.com",
          metadata: { service: "generativelanguage.googleapis.com" },
        },
        {
          "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
          locale: "en-US",
          message: "API key not valid. Please pass a valid API key.",
        },
      ]);
    }
  }

  function checkQuota(model: string) {
    const quota = textModels.includes(model) ? (options.textQuotaPerMinute ?? options.quotaPerMinute) : options.quotaPerMinute;
    if (!quota) return;
    const t = now();
    const log = (quotaLog.get(model) ?? []).filter((at) => at > t - 60_000);
    if (log.length >= quota) {
      const wait = Math.max(1, Math.ceil((log[0]! + 60_000 - t) / 1000));
      quotaLog.set(model, log);
      quotaRefusals++;
      throw quotaError(model, "GenerateRequestsPerMinutePerProjectPerModel", `${wait}s`, quota);
    }
    log.push(t);
    quotaLog.set(model, log);
  }

  function quotaError(model: string, quotaId: string, retryDelay: string | null, limit = 10, message?: string) {
    const details: unknown[] = [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        violations: [
          {
            quotaMetric: "generativelanguage.googleapis.com/generate_content_requests",
            quotaId,
            quotaDimensions: { location: "global", model },
            quotaValue: String(limit),
          },
        ],
      },
      {
        "@type": "type.googleapis.com/google.rpc.Help",
        links: [
          { description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits" },
        ],
      },
    ];
    if (retryDelay) details.push({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay });
    return new HttpError(
      429,
      message ??
        `${DEFAULT_MESSAGES[429]}\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_requests, limit: ${limit}, model: ${model}\nPlease retry in ${retryDelay ?? "a while"}.`,
      details,
    );
  }

  function notFound(model: string, version: string, action: string) {
    return new HttpError(
      404,
      `models/${model} is not found for API version ${version}, or is not supported for ${action}. Call ListModels to see the list of available models and their supported methods.`,
    );
  }

  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);

  /** contents[].parts[] of a request, as far as they are well-formed. */
  function partsOf(body: WireRequest | undefined): WirePart[] {
    const contents = Array.isArray(body?.contents) ? (body.contents as unknown[]) : [];
    return contents.flatMap((c) => (isObject(c) && Array.isArray(c.parts) ? (c.parts as WirePart[]) : []));
  }

  async function validateGenerateBody(raw: unknown, model: string, isImageModel: boolean): Promise<WireRequest> {
    if (!isObject(raw)) {
      throw new HttpError(400, "Invalid JSON payload received. Expected an object.");
    }
    const body = raw as WireRequest;
    for (const key of Object.keys(body)) {
      if (!REQUEST_FIELDS.has(key)) {
        throw new HttpError(400, `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
      }
    }
    const gc = isObject(body.generationConfig) ? body.generationConfig : {};
    for (const key of Object.keys(gc)) {
      if (!GENERATION_CONFIG_FIELDS.has(key)) {
        throw new HttpError(
          400,
          `Invalid JSON payload received. Unknown name "${key}" at 'generation_config': Cannot find field.`,
        );
      }
    }
    if (gc.responseSchema !== undefined && gc.responseMimeType !== "application/json") {
      throw new HttpError(400, "* GenerateContentRequest.generation_config.response_schema: response_mime_type must be application/json when response_schema is set.\n");
    }
    if (gc.responseMimeType === "application/json" && isImageModel) {
      throw new HttpError(400, "JSON mode is not enabled for this model.");
    }
    const ic = gc.imageConfig;
    if (ic !== undefined) {
      if (!isImageModel) {
        throw new HttpError(400, "Image config is not supported for this model.");
      }
      for (const key of Object.keys(ic)) {
        if (!IMAGE_CONFIG_FIELDS.has(key)) {
          throw new HttpError(
            400,
            `Invalid JSON payload received. Unknown name "${key}" at 'generation_config.image_config': Cannot find field.`,
          );
        }
      }
      const ratios = model.includes("flash") ? [...ASPECT_RATIOS, ...FLASH_EXTRA_RATIOS] : ASPECT_RATIOS;
      if (ic.aspectRatio !== undefined && !ratios.includes(String(ic.aspectRatio))) {
        throw new HttpError(400, `Unsupported aspect ratio: ${String(ic.aspectRatio)}. Supported: ${ratios.join(", ")}.`);
      }
      const sizes = model.includes("flash") ? ["512", "1K", "2K", "4K"] : ["1K", "2K", "4K"];
      if (ic.imageSize !== undefined && !sizes.includes(String(ic.imageSize))) {
        throw new HttpError(400, `Unsupported image size: ${String(ic.imageSize)}. Supported: ${sizes.join(", ")}.`);
      }
    }
    const modalities = gc.responseModalities;
    if (modalities !== undefined) {
      if (!Array.isArray(modalities) || modalities.some((m) => !["TEXT", "IMAGE", "AUDIO"].includes(String(m)))) {
        throw new HttpError(400, "Invalid value at 'generation_config.response_modalities'.");
      }
      if (!isImageModel && modalities.includes("IMAGE")) {
        throw new HttpError(400, "The requested combination of response modalities is not supported by the model.");
      }
    }
    if (!Array.isArray(body.contents) || body.contents.length === 0) {
      throw new HttpError(400, "* GenerateContentRequest.contents: contents is not specified\n");
    }
    let images = 0;
    for (const [ci, content] of (body.contents as unknown[]).entries()) {
      if (!isObject(content)) throw new HttpError(400, `Invalid value at 'contents[${ci}]'.`);
      if (content.role !== undefined && !["user", "model"].includes(String(content.role))) {
        throw new HttpError(400, `Please use a valid role: user, model.`);
      }
      if (!Array.isArray(content.parts) || content.parts.length === 0) {
        throw new HttpError(400, `* GenerateContentRequest.contents[${ci}].parts: contents.parts must not be empty.\n`);
      }
      for (const [pi, part] of (content.parts as unknown[]).entries()) {
        const fields = isObject(part) ? PART_DATA_FIELDS.filter((f) => part[f] !== undefined) : [];
        if (!isObject(part) || fields.length !== 1) {
          throw new HttpError(
            400,
            `* GenerateContentRequest.contents[${ci}].parts[${pi}].data: required oneof field 'data' must have one initialized field\n`,
          );
        }
        const inline = (part as WirePart).inlineData;
        if (inline !== undefined) {
          const { mimeType, data: b64 } = inline;
          if (typeof mimeType !== "string" || !mimeType || typeof b64 !== "string" || !b64) {
            throw new HttpError(400, `* GenerateContentRequest.contents[${ci}].parts[${pi}].inline_data: mime_type and data are required.\n`);
          }
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
            throw new HttpError(400, `Invalid value at 'contents[${ci}].parts[${pi}].inline_data.data' (TYPE_BYTES), Base64 decoding failed`);
          }
          if (mimeType.startsWith("image/")) {
            images++;
            try {
              await sharp(Buffer.from(b64, "base64")).metadata();
            } catch {
              throw new HttpError(400, "Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
            }
          }
        }
      }
    }
    if (images > MAX_INPUT_IMAGES) {
      throw new HttpError(400, `Too many images in the request: ${images}. At most ${MAX_INPUT_IMAGES} are supported.`);
    }
    return body;
  }

  function promptTokens(body: WireRequest | undefined) {
    let text = 0;
    let image = 0;
    for (const part of partsOf(body)) {
      if (typeof part.text === "string") text += tokensForText(part.text);
      if (part.inlineData) image += 1120;
    }
    const details = [{ modality: "TEXT", tokenCount: text }];
    if (image) details.push({ modality: "IMAGE", tokenCount: image });
    return { total: text + image, details };
  }

  async function generate(body: WireRequest, model: string, isImageModel: boolean, behaviour: FakeBehaviour) {
    const prompt = promptTokens(body);
    const base = { modelVersion: model, responseId: responseId() };
    if (behaviour.promptBlocked) {
      return {
        promptFeedback: {
          blockReason: behaviour.promptBlocked,
          ...(behaviour.promptBlocked === "SAFETY"
            ? {
                safetyRatings: [
                  { category: "HARM_CATEGORY_SEXUALLY_EXPLICIT", probability: "HIGH", blocked: true },
                  { category: "HARM_CATEGORY_HATE_SPEECH", probability: "NEGLIGIBLE" },
                  { category: "HARM_CATEGORY_HARASSMENT", probability: "NEGLIGIBLE" },
                  { category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "NEGLIGIBLE" },
                ],
              }
            : {}),
        },
        usageMetadata: {
          promptTokenCount: prompt.total,
          totalTokenCount: prompt.total,
          promptTokensDetails: prompt.details,
        },
        ...base,
      };
    }

    const parts: Record<string, unknown>[] = [];
    let outputTokens = 0;
    const imageConfig = body.generationConfig?.imageConfig ?? {};
    const size = String(imageConfig.imageSize ?? "1K");
    const ratio = String(imageConfig.aspectRatio ?? "1:1");
    const wantImage =
      isImageModel &&
      behaviour.textOnly === undefined &&
      (behaviour.finishReason === undefined || behaviour.withImage === true);
    if (behaviour.textOnly !== undefined) {
      parts.push({ text: behaviour.textOnly });
      outputTokens += tokensForText(behaviour.textOnly);
    }
    const wantsJson = body.generationConfig?.responseMimeType === "application/json";
    if (!isImageModel && behaviour.finishReason === undefined && wantsJson) {
      // Structured output: the JSON is the candidate's text (as Gemini sends it), shaped by responseSchema.
      const text = JSON.stringify(behaviour.json ?? answerFor(body.generationConfig?.responseSchema));
      parts.push({ text });
      outputTokens += tokensForText(text);
    } else if (!isImageModel && behaviour.finishReason === undefined) {
      const text = behaviour.text ?? options.defaultText ?? "Red glass bottle with a white label on a light studio background";
      parts.push({ text });
      outputTokens += tokensForText(text);
    }
    if (wantImage) {
      const mimeType = options.imageMimeType ?? "image/png";
      const [w1, h1] = SIZE_1K[ratio] ?? SIZE_1K["1:1"]!;
      const f = SIZE_FACTOR[size] ?? 1;
      if (behaviour.thoughtImage) {
        const draft = await makeImage(Math.round(w1 / 2), Math.round(h1 / 2), mimeType, options.imageDetail);
        parts.push({ text: "Drafting the composition.", thought: true });
        parts.push({ inlineData: { mimeType, data: draft.toString("base64") }, thought: true });
      }
      if (behaviour.text) parts.push({ text: behaviour.text });
      const bytes = await makeImage(Math.round(w1 * f), Math.round(h1 * f), mimeType, options.imageDetail);
      parts.push({
        inlineData: { mimeType, data: bytes.toString("base64") },
        thoughtSignature: randomBytes(24).toString("base64"),
      });
      outputTokens += size === "4K" ? 2000 : 1120;
    }
    const finishReason = behaviour.finishReason ?? "STOP";
    const candidate: Record<string, unknown> = { finishReason, index: 0 };
    if (parts.length > 0) candidate.content = { parts, role: "model" };
    if (finishReason === "SAFETY") {
      candidate.safetyRatings = [
        { category: "HARM_CATEGORY_SEXUALLY_EXPLICIT", probability: "MEDIUM", blocked: true },
        { category: "HARM_CATEGORY_HATE_SPEECH", probability: "NEGLIGIBLE" },
        { category: "HARM_CATEGORY_HARASSMENT", probability: "NEGLIGIBLE" },
        { category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "NEGLIGIBLE" },
      ];
    }
    if (finishReason.startsWith("IMAGE_") || finishReason === "NO_IMAGE") {
      candidate.finishMessage =
        finishReason === "NO_IMAGE"
          ? "The model did not generate an image."
          : "Unable to show the generated image. The generated image was filtered out because it violated Google's Generative AI Prohibited Use policy. You will not be charged for blocked images. Try rephrasing the prompt.";
    }
    const thoughts = isImageModel && model.includes("pro") ? 180 : 0;
    return {
      candidates: [candidate],
      usageMetadata: {
        promptTokenCount: prompt.total,
        candidatesTokenCount: outputTokens,
        totalTokenCount: prompt.total + outputTokens + thoughts,
        promptTokensDetails: prompt.details,
        ...(outputTokens
          ? { candidatesTokensDetails: [{ modality: wantImage ? "IMAGE" : "TEXT", tokenCount: outputTokens }] }
          : {}),
        ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
      },
      ...base,
    };
  }

  let fidelity: FidelityAnswer = options.fidelity ?? DEFAULT_FIDELITY;

  /** The scripted fidelity answer for a score+reasons schema; otherwise an empty object of the schema's type. */
  function answerFor(schema: unknown): unknown {
    const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
    if ("score" in properties && "reasons" in properties) return fidelity;
    return {};
  }

  // Model (google.ai.generativelanguage.v1beta.Model) in its JSON form.
  function modelResource(model: string) {
    const image = imageModels.includes(model);
    return {
      name: `models/${model}`,
      baseModelId: model,
      version: "001",
      displayName: displayName(model),
      description: image ? "Image generation and editing model." : "Text model.",
      inputTokenLimit: image ? 65536 : 1048576,
      outputTokenLimit: image ? 32768 : 65536,
      supportedGenerationMethods: ["generateContent", "countTokens", "batchGenerateContent"],
      temperature: 1,
      topP: 0.95,
      topK: 64,
      maxTemperature: 2,
      thinking: true,
    };
  }

  function send(res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}) {
    record.status = status;
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=UTF-8",
      vary: "Origin, X-Origin, Referer",
      server: "scaffolding on HTTPServer2",
      "server-timing": `gfet4t7; dur=${Math.round(Math.random() * 2000)}`,
      "x-content-type-options": "nosniff",
      ...headers,
    });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://localhost");
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query,
      headers: { ...req.headers },
      receivedAt: now(),
    };
    requests.push(record);
    try {
      const raw = await readBody(req);
      if (raw.length > 0) {
        try {
          record.body = JSON.parse(raw.toString("utf8"));
        } catch {
          throw new HttpError(400, `Invalid JSON payload received. Unexpected token.\n${raw.toString("utf8").slice(0, 40)}\n^`);
        }
      }
      const match = /^\/(v1beta|v1|v1alpha)\/models(?:\/([^/:]+)(?::([A-Za-z]+))?)?$/.exec(url.pathname);
      if (!match) throw new HttpError(404, `Method not found.`);
      const [, version, model, verb] = match;
      record.apiVersion = version;
      record.model = model;
      record.action = !model ? "list" : verb ?? (record.method === "GET" ? "get" : undefined);
      checkKey(req, query);

      if (record.action === "list" && record.method === "GET") {
        // ListModelsResponse: 50 per page unless pageSize says otherwise (at most 1000), nextPageToken while more follow.
        const all = [...imageModels, ...textModels];
        const size = Math.min(1000, Math.max(1, Number(query.pageSize) || 50));
        const start = query.pageToken ? Number(Buffer.from(query.pageToken, "base64url").toString("utf8")) : 0;
        if (!Number.isInteger(start) || start < 0 || start > all.length) throw new HttpError(400, "Invalid page token.");
        const next = start + size < all.length ? Buffer.from(String(start + size)).toString("base64url") : undefined;
        return send(res, record, 200, { models: all.slice(start, start + size).map(modelResource), ...(next ? { nextPageToken: next } : {}) });
      }
      const isImage = imageModels.includes(model!);
      const isText = textModels.includes(model!);
      if (!isImage && !isText) throw notFound(model!, version!, record.action ?? "generateContent");

      const behaviour = queue.shift() ?? {};
      const latencyMs = behaviour.latencyMs ?? options.latencyMs;
      if (latencyMs) await sleep(latencyMs);
      if (behaviour.dropConnection) {
        record.status = 0;
        req.socket.destroy();
        return;
      }
      if (behaviour.hang) {
        record.status = 0;
        return; // never answer; stop() closes the socket
      }
      if (behaviour.status !== undefined && behaviour.status >= 400) {
        const status = behaviour.status;
        const headers: Record<string, string> = {};
        if (behaviour.retryAfter !== undefined) headers["retry-after"] = String(behaviour.retryAfter);
        if (status === 429) {
          const e = quotaError(
            model!,
            behaviour.quotaId ?? "GenerateRequestsPerMinutePerProjectPerModel",
            behaviour.retryDelay === undefined ? "1s" : behaviour.retryDelay,
            10,
            behaviour.message,
          );
          throw new HttpError(429, e.message, e.details, headers);
        }
        const details = behaviour.reason
          ? [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: behaviour.reason, domain: "googleapis.com" }]
          : [];
        throw new HttpError(
          status,
          behaviour.message ?? DEFAULT_MESSAGES[status] ?? `HTTP ${status}`,
          details,
          headers,
        );
      }
      checkQuota(model!);

      if (record.action === "get" && record.method === "GET") {
        return send(res, record, 200, modelResource(model!));
      }
      if (record.action === "countTokens" && record.method === "POST") {
        const t = promptTokens(record.body);
        return send(res, record, 200, { totalTokens: t.total, promptTokensDetails: t.details });
      }
      if (record.action === "generateContent" && record.method === "POST") {
        const body = await validateGenerateBody(record.body, model!, isImage);
        return send(res, record, 200, await generate(body, model!, isImage, behaviour));
      }
      throw notFound(model!, version!, record.action ?? "this method");
    } catch (error) {
      if (error instanceof HttpError) {
        return send(res, record, error.status, envelope(error.status, error.message, error.details), error.headers);
      }
      return send(res, record, 500, envelope(500, DEFAULT_MESSAGES[500]!, []));
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    next: (...behaviours) => {
      queue.push(...behaviours);
    },
    generateRequests: () => requests.filter((r) => r.action === "generateContent"),
    imageRequests: () => requests.filter((r) => r.action === "generateContent" && configuredImageModels.includes(r.model ?? "")),
    jsonRequests: () => requests.filter((r) => r.action === "generateContent" && r.body?.generationConfig?.responseMimeType === "application/json"),
    setFidelity: (answer) => {
      fidelity = answer;
    },
    retire: (...models) => {
      for (const model of models) {
        const at = imageModels.indexOf(model);
        if (at >= 0) imageModels.splice(at, 1);
      }
    },
    quotaRefusals: () => quotaRefusals,
    reset: () => {
      imageModels.splice(0, imageModels.length, ...configuredImageModels);
      fidelity = options.fidelity ?? DEFAULT_FIDELITY;
      queue.length = 0;
      requests.length = 0;
      quotaLog.clear();
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
