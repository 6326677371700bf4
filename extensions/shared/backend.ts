// The app backend, as Lightbox's admin UI extensions call it. Shopify's extension host resolves a
// relative URL against the app's application_url and adds `Authorization: Bearer <ID token>` to a
// fetch to the app's own domain, so nothing here handles tokens. Every answer is JSON: the data, or
// `{ error: { status, title, detail, code } }` (app/admin/extension-route.server.ts).

export type BackendError = { status: number; title: string; detail: string; code: string; fieldErrors?: Record<string, string> };
export type BackendResult<T> = { ok: true; data: T } | { ok: false; error: BackendError };

/** GET `path`, or POST `body` as JSON to it. Never throws: a failure is a BackendError to show. */
export async function callBackend<T>(path: string, body?: unknown): Promise<BackendResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    return { ok: false, error: { status: 0, title: "Lightbox is not reachable", detail: "Check your connection, then open the action again.", code: "NETWORK" } };
  }
  const payload = (await response.json().catch(() => null)) as { error?: BackendError } | null;
  if (response.ok && payload) return { ok: true, data: payload as T };
  return {
    ok: false,
    error: payload?.error ?? { status: response.status, title: "Lightbox could not answer", detail: `The app answered ${response.status}. Try again in a moment.`, code: `HTTP_${response.status}` },
  };
}

/** An app page as an admin link: `app:` paths open inside the app ("/app/plans" -> "app:app/plans"). */
export function appLink(path: string): string {
  return `app:${path.replace(/^\/+/, "")}`;
}
