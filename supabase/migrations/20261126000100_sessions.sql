-- Canonical enums (mirrored 1:1 by src/domain/status.rs) and the sessions table.
-- Isolation lives here: one policy per operation for `authenticated`, owner checked with
-- (select auth.uid()) so Postgres evaluates it once per statement, nothing for `anon`.

create type public.generation_status as enum ('queued', 'processing', 'completed', 'failed');
create type public.post_status as enum ('scheduled', 'publishing', 'published', 'failed', 'cancelled');
create type public.account_status as enum ('active', 'mock', 'expired', 'revoked');
create type public.platform as enum (
  'instagram', 'tiktok', 'x', 'linkedin', 'facebook', 'youtube', 'threads', 'pinterest'
);
create type public.media_kind as enum ('image', 'video');

create table public.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sessions_title_length check (char_length(btrim(title)) between 1 and 200)
);

comment on table public.sessions is
  'A creator''s generation session: the unit the session rail lists, newest first.';

-- The rail's query (user_id = me order by created_at desc) and the RLS filter both use this.
create index sessions_user_id_created_at_idx on public.sessions (user_id, created_at desc);

-- updated_at is the server's business, whatever the client sends.
create function public.touch_updated_at()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

comment on function public.touch_updated_at() is 'Keeps updated_at current on every update.';

create trigger sessions_touch_updated_at
  before update on public.sessions
  for each row execute function public.touch_updated_at();

alter table public.sessions enable row level security;

create policy "sessions: owners read"
  on public.sessions for select to authenticated
  using ((select auth.uid()) = user_id);

create policy "sessions: owners create"
  on public.sessions for insert to authenticated
  with check ((select auth.uid()) = user_id);

create policy "sessions: owners update"
  on public.sessions for update to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id);

create policy "sessions: owners delete"
  on public.sessions for delete to authenticated
  using ((select auth.uid()) = user_id);

revoke all on table public.sessions from anon, authenticated;
grant select, insert, update, delete on table public.sessions to authenticated;
grant all on table public.sessions to service_role;
revoke all on function public.touch_updated_at() from public, anon, authenticated;
