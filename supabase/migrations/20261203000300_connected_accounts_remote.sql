-- A really connected account needs to know who it is on the platform and where to talk to it.
-- None of this is secret (connected_accounts is readable by its owner as a whole table); tokens
-- live in public.account_credentials. Clients may not write these columns: their insert and
-- update grants name other columns only.

alter table public.connected_accounts
  -- Bluesky: the DID; Mastodon: `<account id>@<instance host>`. Stable where handles are not.
  add column remote_id text,
  -- Bluesky: the PDS URL from the DID document; Mastodon: the instance base URL.
  add column service_url text,
  -- The account's own text limit (Mastodon's max_characters at connect time); null = the platform's.
  add column caption_max integer,
  add constraint connected_accounts_remote_id_length check (char_length(remote_id) between 1 and 300),
  add constraint connected_accounts_service_url_http check (
    service_url ~ '^https?://[^[:space:]]+$' and char_length(service_url) <= 500),
  add constraint connected_accounts_caption_max_positive check (caption_max > 0);

comment on column public.connected_accounts.remote_id is
  'The account''s stable id on its platform (Bluesky DID, Mastodon <id>@<host>); reconnecting matches on it.';
comment on column public.connected_accounts.service_url is
  'Where the account is served (Bluesky PDS, Mastodon instance base URL).';
comment on column public.connected_accounts.caption_max is
  'The account''s own text limit read when it was connected; null means the platform_limits row''s.';

-- One row per remote account and user. Not partial: rows without a remote id (mock accounts) never
-- collide anyway (nulls are distinct), and a plain unique index lets an upsert name these columns
-- (`on conflict (user_id, platform, remote_id)`, PostgREST's on_conflict) without a predicate.
create unique index connected_accounts_remote_id_idx
  on public.connected_accounts (user_id, platform, remote_id);
