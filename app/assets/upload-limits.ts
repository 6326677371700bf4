// Limits shared by the upload UI (client-side early refusal) and the server (the real check).
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
export const MAX_UPLOAD_MEGAPIXELS = 50;
export const ACCEPTED_UPLOAD_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/avif";
