/** A date as the merchant reads it, or the fallback when there is none. */
export const when = (iso: string | null, fallback = "—") => (iso ? new Date(iso).toLocaleString() : fallback);
