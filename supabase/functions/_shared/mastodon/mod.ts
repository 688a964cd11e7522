// The Mastodon connector as the publish worker and disconnect-account use it: app registrations
// (for revoking a token) are read from public.mastodon_apps as service_role.
import type { Connector } from "../delivery.ts";
import { serviceClient } from "../supabase.ts";
import { appsOn } from "./apps.ts";
import { createMastodonConnector } from "./connector.ts";

export const mastodonConnector: Connector = createMastodonConnector({
  apps: (instanceUrl) => appsOn(serviceClient(), instanceUrl),
});

export { createMastodonConnector };
