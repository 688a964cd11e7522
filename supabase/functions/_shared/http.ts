// Outbound HTTP for providers: deadlines and errors worded for the person who will read them.

/** A provider failure; `message` is shown to the user as is. */
export class ProviderError extends Error {}

export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** `fetch` that gives up after `ms` with "Timed out after N s — try again". */
export async function fetchWithTimeout(
  url: string,
  init: RequestInit,
  ms: number,
  what = "The provider",
): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } catch (e) {
    if (controller.signal.aborted) throw new ProviderError(`Timed out after ${seconds(ms)} — try again`);
    throw new ProviderError(`${what} could not be reached (${(e as Error).message}) — try again later`);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a JSON body, or says the provider answered with something else. */
export async function readProviderJson(res: Response, what = "The provider"): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    const v = JSON.parse(text);
    if (v && typeof v === "object") return v as Record<string, unknown>;
  } catch { /* fall through */ }
  throw new ProviderError(`${what} sent a malformed answer (HTTP ${res.status}, not JSON) — try again later`);
}

/** The provider's own error message from a JSON error body, if it has one. */
export function providerMessage(body: unknown): string | null {
  const b = body as { error?: unknown; detail?: unknown; message?: unknown } | null;
  if (!b || typeof b !== "object") return null;
  if (typeof b.error === "string") return b.error;
  const nested = (b.error as { message?: unknown } | undefined)?.message;
  if (typeof nested === "string") return nested;
  if (typeof b.detail === "string") return b.detail;
  if (typeof b.message === "string") return b.message;
  return null;
}

/** Downloads a provider's output so the row never holds the provider's (expiring) link. */
export async function download(
  url: string,
  ms: number,
  what = "The provider",
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const res = await fetchWithTimeout(url, {}, ms, what);
  if (!res.ok) throw new ProviderError(`${what}'s output could not be downloaded (HTTP ${res.status}) — try again`);
  return {
    bytes: new Uint8Array(await res.arrayBuffer()),
    contentType: res.headers.get("content-type") ?? "application/octet-stream",
  };
}
