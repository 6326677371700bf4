export { detectImageFormat, type DetectedFormat } from "./detect";
export { ImageRejectedError, type ImageRejectionCode } from "./errors";
export { ingestImage, makeThumbnail, type IngestedImage, type IngestedImageWithThumb, type IngestOptions, type InputFormat, type Rendition, type StoredFormat } from "./ingest.server";
export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from "./limits";
export { provenanceXmp, stampProvenance, type ProvenanceOptions } from "./provenance.server";
export { setPipelineSlots } from "./sharp.server";
