-- Social accounts a creator publishes to. A client may only create `mock` accounts and edit
-- their presentation; `active` (and expiry or revocation) comes from a real connection flow
-- running as service_role.

create table public.connected_accounts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  platform public.platform not null,
  handle text not null,
  display_name text,
  status public.account_status not null default 'mock',
  -- IANA zone used to interpret scheduled times; null means the user's own zone.
  timezone text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint connected_accounts_handle_length check (char_length(btrim(handle)) between 1 and 100),
  constraint connected_accounts_display_name_length check (char_length(display_name) <= 100),
  constraint connected_accounts_unique_handle unique (user_id, platform, handle)
);

comment on table public.connected_accounts is
  'A social account a creator can publish to; clients create only mock ones.';

create index connected_accounts_user_id_idx on public.connected_accounts (user_id);

-- A time zone must be one Postgres knows, or scheduling in it would fail later.
create function public.check_account_timezone()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if new.timezone is not null
     and not exists (select 1 from pg_catalog.pg_timezone_names where name = new.timezone) then
    raise exception 'Unknown time zone: %', new.timezone
      using errcode = '22023', hint = 'Use an IANA name such as Europe/Paris.';
  end if;
  return new;
end;
$$;

create trigger connected_accounts_check_timezone
  before insert or update of timezone on public.connected_accounts
  for each row execute function public.check_account_timezone();

create trigger connected_accounts_touch_updated_at
  before update on public.connected_accounts
  for each row execute function public.touch_updated_at();

alter table public.connected_accounts enable row level security;

create policy "connected_accounts: owners read"
  on public.connected_accounts for select to authenticated
  using ((select auth.uid()) = user_id);

create policy "connected_accounts: owners create mock accounts"
  on public.connected_accounts for insert to authenticated
  with check ((select auth.uid()) = user_id and status = 'mock');

create policy "connected_accounts: owners update"
  on public.connected_accounts for update to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id);

create policy "connected_accounts: owners delete"
  on public.connected_accounts for delete to authenticated
  using ((select auth.uid()) = user_id);

revoke all on table public.connected_accounts from anon, authenticated;
grant select, delete on table public.connected_accounts to authenticated;
grant insert (id, user_id, platform, handle, display_name, status, timezone)
  on table public.connected_accounts to authenticated;
-- Presentation only: status and ownership are not the client's to change.
grant update (display_name, timezone) on table public.connected_accounts to authenticated;
grant all on table public.connected_accounts to service_role;
revoke all on function public.check_account_timezone() from public, anon, authenticated;
