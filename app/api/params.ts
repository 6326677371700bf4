import { z } from "zod";

/** A Shopify product as a GID ("gid://shopify/Product/123") or its numeric id ("123"); always a GID after parsing. */
export const productIdParam = z
  .string()
  .trim()
  .regex(/^(gid:\/\/shopify\/Product\/)?\d{1,20}$/, 'Use a product GID like "gid://shopify/Product/123" or its numeric id')
  .transform((value) => (value.startsWith("gid://") ? value : `gid://shopify/Product/${value}`));

export const limitParam = z.coerce
  .number({ message: "Must be a number from 1 to 100" })
  .int("Must be a whole number from 1 to 100")
  .min(1, "Must be at least 1")
  .max(100, "Must be at most 100");
