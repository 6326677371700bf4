// What the bulk action extension sends (POST /api/extensions/batches[/preview]), checked at the
// edge: its shape only. The ids, the preset and the rest are validated by the batch domain
// (batchInputSchema), which names the field it refuses.
import { z } from "zod";

import { BATCH_RESULT_ACTIONS } from "~/batches/batch-input";

export const bulkActionRequestSchema = z.object({
  productIds: z.array(z.string({ error: "Each product id is a string" }), { error: "Send the selected products as productIds: [...]" }),
  presetId: z.string({ error: "presetId is a preset's id" }).optional(),
  onResult: z.enum(BATCH_RESULT_ACTIONS, { error: 'Use "review" (approve results first) or "publish" (publish as they come)' }).optional(),
});
export type BulkActionRequest = z.infer<typeof bulkActionRequestSchema>;
