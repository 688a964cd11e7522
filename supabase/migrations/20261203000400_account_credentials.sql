-- Tokens of connected accounts, apart from connected_accounts (which its owner reads whole):
-- only the server side (service_role) ever reads or writes them. The functions encrypt every
-- token with AES-GCM before it gets here, so the columns hold `v1.<base64 iv>.<base64 ciphertext>`
-- and SQL never sees a token in clear; the checks refuse anything else (a JWT, a raw token).

create schema if not exists private;

-- A sealed value as the functions write it; a plaintext token does not match.
create function private.is_sealed(p_value text)
returns boolean
language sql
immutable
security invoker
set search_path = ''
as $$
  select p_value ~ '^v1\.[A-Za-z0-9+/_=-]+\.[A-Za-z0-9+/_=-]+$'
$$;

comment on function private.is_sealed(text) is
  'True for v1.<iv>.<ciphertext> (base64): the only form a token or secret is stored in.';

-- Credentials belong to the account's owner: (account_id, user_id) must name a real pair.
alter table public.connected_accounts
  add constraint connected_accounts_id_user_id_key unique (id, user_id);

create table public.account_credentials (
  account_id uuid primary key,
  user_id uuid not null,
  access_token text not null,
  refresh_token text,
  expires_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint account_credentials_account_fkey foreign key (account_id, user_id)
    references public.connected_accounts (id, user_id) on delete cascade,
  constraint account_credentials_access_token_sealed check (private.is_sealed(access_token)),
  constraint account_credentials_refresh_token_sealed check (refresh_token is null or private.is_sealed(refresh_token))
);

comment on table public.account_credentials is
  'Encrypted tokens of a connected account; service_role only (RLS on, no policy, no client grant).';

create trigger account_credentials_touch_updated_at
  before update on public.account_credentials
  for each row execute function public.touch_updated_at();

alter table public.account_credentials enable row level security;
revoke all on table public.account_credentials from public, anon, authenticated;
grant all on table public.account_credentials to service_role;
revoke all on function private.is_sealed(text) from public;
-- Check constraints call it as whoever writes the row.
grant execute on function private.is_sealed(text) to service_role;
