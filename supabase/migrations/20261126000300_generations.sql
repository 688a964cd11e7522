-- Generations: one row per requested output. Clients create them `queued` and may delete
-- them; everything after that (status, media, provider fields) is written by the server side
-- (the generate-media function as service_role), which column grants enforce.

create table public.generations (
  id uuid primary key default gen_random_uuid(),
  -- Deleting a session removes its generations (unless posts still point at them: see posts).
  session_id uuid not null references public.sessions (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  kind public.media_kind not null default 'image',
  prompt text not null,
  params jsonb not null default '{}'::jsonb,
  status public.generation_status not null default 'queued',
  media_path text,
  media_url text,
  thumbnail_url text,
  width integer check (width > 0),
  height integer check (height > 0),
  duration_ms integer check (duration_ms > 0),
  provider text,
  model text,
  error text,
  attempts integer not null default 0 check (attempts >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  constraint generations_prompt_length check (char_length(btrim(prompt)) between 1 and 2000),
  constraint generations_params_object check (jsonb_typeof(params) = 'object'),
  constraint generations_completed_has_media check (status <> 'completed' or media_url is not null),
  constraint generations_failed_has_error
    check (status <> 'failed' or nullif(btrim(error), '') is not null)
);

comment on table public.generations is
  'One requested image or video: queued by the client, run and finished by generate-media.';

create index generations_session_id_created_at_idx on public.generations (session_id, created_at);
create index generations_user_id_idx on public.generations (user_id);
-- The stale-work sweep looks for unfinished rows by their last change.
create index generations_unfinished_idx on public.generations (updated_at)
  where status in ('queued', 'processing');

create trigger generations_touch_updated_at
  before update on public.generations
  for each row execute function public.touch_updated_at();

alter table public.generations enable row level security;

create policy "generations: owners read"
  on public.generations for select to authenticated
  using ((select auth.uid()) = user_id);

-- A generation goes only into a session of your own.
create policy "generations: owners create in their sessions"
  on public.generations for insert to authenticated
  with check (
    (select auth.uid()) = user_id
    and exists (
      select 1 from public.sessions s
      where s.id = session_id and s.user_id = (select auth.uid())
    )
  );

-- Only a row that has not started can be edited (its prompt and params, by the grants below).
create policy "generations: owners edit queued rows"
  on public.generations for update to authenticated
  using ((select auth.uid()) = user_id and status = 'queued')
  with check ((select auth.uid()) = user_id);

create policy "generations: owners delete"
  on public.generations for delete to authenticated
  using ((select auth.uid()) = user_id);

revoke all on table public.generations from anon, authenticated;
grant select, delete on table public.generations to authenticated;
-- Only what a creator asks for; status starts `queued` by default and cannot be forged.
grant insert (id, session_id, user_id, kind, prompt, params) on table public.generations to authenticated;
-- A creator may correct the request of a row that has not run; nothing about its outcome.
grant update (prompt, params) on table public.generations to authenticated;
grant all on table public.generations to service_role;
