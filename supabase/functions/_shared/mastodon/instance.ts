// Which Mastodon instance a creator means, and what it says about itself
// (GET /api/v2/instance: https://docs.joinmastodon.org/methods/instance/#v2).
import { HttpError } from "../cors.ts";
import { type GuardOptions, OutboundError } from "../outbound.ts";
import { call, MastodonError, NotMastodon } from "./api.ts";

/** Mastodon's default text limit, for an instance that does not say. */
export const DEFAULT_MAX_CHARACTERS = 500;

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$|^\[[0-9a-f:.]+\]$/;

/**
 * The instance's base URL (`https://host[:port]`) from what a creator typed: `mastodon.social`,
 * `https://mastodon.social`, a page of the instance (`https://mastodon.social/@alice`) or an
 * address (`@alice@mastodon.social`). http is accepted only when private hosts are allowed (local
 * testing); whether the host may be reached at all is the outbound guard's decision.
 */
export function normalizeInstance(input: unknown, allowHttp: boolean): string {
  const typed = typeof input === "string" ? input.trim() : "";
  const example = "Enter your Mastodon instance, e.g. mastodon.social or https://mastodon.social.";
  if (!typed || typed.length > 300 || /\s/.test(typed)) throw new HttpError(400, example);
  let text = typed;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    // `@alice@mastodon.social` or `alice@mastodon.social`: the instance is after the last @.
    const address = /^@?[A-Za-z0-9_.-]+@([^@/]+)$/.exec(text);
    text = `https://${address ? address[1] : text}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HttpError(400, example);
  }
  if (url.username || url.password) throw new HttpError(400, example);
  if (url.protocol === "http:" && !allowHttp) {
    throw new HttpError(400, `${url.host} must be reached over https: enter https://${url.host}.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new HttpError(400, example);
  if (!HOST.test(url.hostname)) throw new HttpError(400, example);
  return url.origin;
}

export interface InstanceInfo {
  /** configuration.statuses.max_characters */
  maxCharacters: number;
  title: string;
}

/** What the creator reads when the instance could not be asked. */
export function unreachable(e: OutboundError, host: string): HttpError {
  if (e.failure === "refused" || e.failure === "invalid") {
    return new HttpError(400, `${e.message}: Atelier only connects to public Mastodon instances.`);
  }
  if (e.failure === "timeout") return new HttpError(502, `${host} did not answer in time: try again later.`);
  return new HttpError(502, `Could not reach ${host}: check the address.`);
}

/**
 * The instance's v2 description, or a 4xx/5xx HttpError a creator can act on: "<host> is not a
 * Mastodon instance." when it answers without one.
 */
export async function readInstance(base: string, guard: GuardOptions = {}): Promise<InstanceInfo> {
  const host = new URL(base).host;
  const notMastodon = () => new HttpError(400, `${host} is not a Mastodon instance.`);
  let body: Record<string, unknown>;
  try {
    body = (await call(base, "GET", "/api/v2/instance", { guard })).body;
  } catch (e) {
    if (e instanceof OutboundError) throw unreachable(e, host);
    if (e instanceof MastodonError && (e.status >= 500 || e.status === 429)) {
      throw new HttpError(502, `${host} answered HTTP ${e.status}: try again later.`);
    }
    if (e instanceof MastodonError || e instanceof NotMastodon) throw notMastodon();
    throw e;
  }
  const configuration = body.configuration as { statuses?: { max_characters?: unknown } } | undefined;
  if (typeof body.domain !== "string" || !configuration?.statuses || typeof configuration.statuses !== "object") {
    throw notMastodon();
  }
  const max = configuration.statuses.max_characters;
  return {
    maxCharacters: Number.isInteger(max) && (max as number) > 0 && (max as number) <= 1_000_000
      ? (max as number)
      : DEFAULT_MAX_CHARACTERS,
    title: typeof body.title === "string" ? body.title : host,
  };
}
