// Reading forms and query strings into plain objects for zod, and the few field shapes the admin
// pages' forms need. Route files take `z` from here too: a `.server` module is left out of the
// browser build, so the pages do not ship zod for schemas only their loaders and actions use.
import { z } from "zod";

import { productGid } from "~/products/ids";

export { z };

export type FormFields = Record<string, FormDataEntryValue | FormDataEntryValue[]>;

/** A form as an object: a name sent once is its value, a name sent several times a list. */
export function formFields(form: FormData): FormFields {
  const fields: FormFields = {};
  for (const name of new Set(form.keys())) {
    const values = form.getAll(name);
    fields[name] = values.length === 1 ? values[0]! : values;
  }
  return fields;
}

/** A query string as an object (the first value of a repeated name, as `searchParams.get`). */
export function queryFields(url: URL): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of url.searchParams) fields[name] ??= value;
  return fields;
}

/** One message per field ("" for the form itself), the first zod reported. */
export function issueMessages(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const issue of issues) messages[issue.path.map(String).join(".") || "form"] ??= issue.message;
  return messages;
}

/** Optional text: trimmed, and a blank field counts as not sent. */
export const optionalText = () =>
  z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined);

/** Text that may be missing or blank (the domain says what is required, and why). */
export const text = () => z.string().default("");

/** A field that may be sent any number of times (checkboxes, hidden inputs per item). */
export const list = () =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

/** A Shopify product GID (from a GID or numeric id), or null when missing or not one (links may carry anything). */
export const productGidOrNull = () =>
  z
    .string()
    .nullable()
    .catch(null)
    .transform((value) => productGid(value));
