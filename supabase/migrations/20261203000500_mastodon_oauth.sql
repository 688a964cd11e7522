-- Mastodon sign-in state kept server-side: the app Atelier registered on each instance (once per
-- instance and redirect URI, since registration is rate limited) and the one-time `state` of an
-- authorization in progress with its PKCE verifier. Service_role only; secrets are sealed by the
-- functions (see private.is_sealed).

create table public.mastodon_apps (
  instance_url text not null,
  redirect_uri text not null,
  client_id text not null,
  client_secret text not null,
  scopes text not null,
  created_at timestamptz not null default now(),
  primary key (instance_url, redirect_uri),
  constraint mastodon_apps_instance_url_http check (instance_url ~ '^https?://[^[:space:]]+$'),
  constraint mastodon_apps_redirect_uri_http check (redirect_uri ~ '^https?://[^[:space:]]+$'),
  constraint mastodon_apps_client_id_present check (char_length(btrim(client_id)) > 0),
  constraint mastodon_apps_client_secret_sealed check (private.is_sealed(client_secret))
);

comment on table public.mastodon_apps is
  'Atelier''s OAuth app on each Mastodon instance, per redirect URI (secret sealed); service_role only.';

create table public.oauth_states (
  state text primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  instance_url text not null,
  redirect_uri text not null,
  code_verifier text not null,
  expires_at timestamptz not null default now() + interval '10 minutes',
  created_at timestamptz not null default now(),
  constraint oauth_states_state_length check (char_length(state) between 16 and 200),
  constraint oauth_states_code_verifier_sealed check (private.is_sealed(code_verifier))
);

comment on table public.oauth_states is
  'A Mastodon authorization in progress: one-time state bound to a user, sealed PKCE verifier, 10 minutes; service_role only.';

create index oauth_states_user_id_idx on public.oauth_states (user_id);

alter table public.mastodon_apps enable row level security;
alter table public.oauth_states enable row level security;
revoke all on table public.mastodon_apps, public.oauth_states from public, anon, authenticated;
grant all on table public.mastodon_apps, public.oauth_states to service_role;
