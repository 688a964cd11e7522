// Where an instance may send the browser back to: the app's accounts page on one of the
// project's own origins. Anything else would let a forged start hand an authorization code to
// another site.
import { HttpError } from "../_shared/cors.ts";

export const CALLBACK_PATH = "/app/accounts";

type Env = { get(name: string): string | undefined };

/** The origins of SITE_URL, ADDITIONAL_REDIRECT_URLS and ATELIER_APP_ORIGINS (comma-separated lists). */
export function allowedOrigins(env: Env = Deno.env): Set<string> {
  const origins = new Set<string>();
  for (const name of ["SITE_URL", "ADDITIONAL_REDIRECT_URLS", "ATELIER_APP_ORIGINS"]) {
    for (const entry of (env.get(name) ?? "").split(",")) {
      const text = entry.trim();
      if (!text || text.includes("*")) continue; // a pattern such as https://*.example.com is not an origin
      try {
        const url = new URL(text);
        if (url.protocol === "https:" || url.protocol === "http:") origins.add(url.origin);
      } catch { /* not a URL */ }
    }
  }
  return origins;
}

/** `redirect_uri` as sent, once it is `<allowed origin>/app/accounts` exactly. */
export function checkRedirectUri(value: unknown, env: Env = Deno.env): string {
  const text = typeof value === "string" ? value.trim() : "";
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch { /* refused below */ }
  if (!url || url.href !== `${url.origin}${CALLBACK_PATH}`) {
    throw new HttpError(
      400,
      `redirect_uri must be the app's address followed by ${CALLBACK_PATH} (got ${
        JSON.stringify(text.slice(0, 200))
      }).`,
    );
  }
  if (!allowedOrigins(env).has(url.origin)) {
    throw new HttpError(
      400,
      `${url.origin} is not one of this project's app addresses (SITE_URL, ADDITIONAL_REDIRECT_URLS, ATELIER_APP_ORIGINS): Mastodon cannot send you back there.`,
    );
  }
  return url.href;
}
