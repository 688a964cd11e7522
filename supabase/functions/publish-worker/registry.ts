// The connectors the worker sends through, by platform (`public.platform` values). A platform
// listed here must have `has_connector` in public.platform_limits, and the other way round: the
// database only hands the worker posts of platforms with a connector. disconnect-account revokes
// tokens through the same entries. Tests pass a registry of their own to the engine
// (EngineOptions.connectors) instead of this one.
import { blueskyConnector } from "../_shared/bluesky/connector.ts";
import { mastodonConnector } from "../_shared/mastodon/mod.ts";
import type { ConnectorRegistry } from "./engine.ts";

export const connectors: ConnectorRegistry = {
  bluesky: blueskyConnector,
  mastodon: mastodonConnector,
};
