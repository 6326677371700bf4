import { AppError } from "~/errors";
import { readBodyLimited } from "~/http/read-body.server";

import { MAX_UPLOAD_BYTES } from "./upload-limits";

export type UploadedFile = { bytes: Buffer; filename: string; declaredType: string };

const MULTIPART_OVERHEAD = 64 * 1024;

const tooLarge = () =>
  new AppError("PAYLOAD_TOO_LARGE", `The upload is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Resize or compress the photo and try again.`);

/**
 * Reads a multipart/form-data request whose file is in `field`. Refuses a body larger than the
 * limit from its Content-Length before reading it, and again while reading (no trusting the header).
 */
export async function readUploadForm(request: Request, field = "file"): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Send the image as multipart/form-data with the file in a "${field}" field.`);
  }
  const body = await readBodyLimited(request, MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD, tooLarge);
  return new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData().catch(() => {
    throw new AppError("BAD_REQUEST", "The upload could not be read (the request body is not valid multipart). Try again.");
  });
}

/** The uploaded file's bytes, within the size limit. */
export async function uploadedFile(file: File): Promise<UploadedFile> {
  if (file.size > MAX_UPLOAD_BYTES) throw tooLarge();
  return { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name, declaredType: file.type };
}

/** Reads one file from a multipart/form-data request (the admin's uploads). */
export async function readUpload(request: Request, field = "file"): Promise<UploadedFile> {
  const file = (await readUploadForm(request, field)).get(field);
  if (!(file instanceof File)) {
    throw new AppError("UNPROCESSABLE", `No file found: put the image in a "${field}" field.`, { fieldErrors: { [field]: "Required" } });
  }
  return uploadedFile(file);
}
