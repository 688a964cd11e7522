-- Posts: one per (generation, account) publication. Clients read them and may cancel a
-- scheduled one; they are created only through publish_generation, whose inserts go through
-- a definer helper in the private schema, so no client can write a `published` row itself.

create schema if not exists private;
revoke all on schema private from public;

-- Hashtags are `#` then letters, digits or `_` (any script), nothing else.
create function private.hashtags_are_valid(tags text[])
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(bool_and(tag ~ '^#[[:alnum:]_]+$' and char_length(tag) <= 100), true)
  from pg_catalog.unnest(tags) as tag
$$;

comment on function private.hashtags_are_valid(text[]) is
  'True when every tag is # followed by letters, digits or underscores (posts check).';

create table public.posts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  -- A generation with posts cannot silently vanish from them: deleting it is refused.
  generation_id uuid not null references public.generations (id) on delete restrict,
  account_id uuid not null references public.connected_accounts (id) on delete restrict,
  caption text not null default '',
  hashtags text[] not null default '{}',
  status public.post_status not null,
  scheduled_at timestamptz,
  published_at timestamptz,
  error text,
  -- Client-chosen key that makes a publish request idempotent.
  request_key uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- The largest caption any platform takes (Facebook, in public.platform_limits).
  constraint posts_caption_length check (char_length(caption) <= 63206),
  constraint posts_hashtags_count check (coalesce(array_length(hashtags, 1), 0) <= 30),
  constraint posts_hashtags_format check (private.hashtags_are_valid(hashtags)),
  constraint posts_scheduled_has_time check (status <> 'scheduled' or scheduled_at is not null),
  constraint posts_published_has_time check (status <> 'published' or published_at is not null),
  constraint posts_failed_has_error check (status <> 'failed' or error is not null),
  constraint posts_one_per_account_per_request unique (user_id, request_key, account_id)
);

comment on table public.posts is
  'A generation published, or scheduled, to one connected account.';

create index posts_user_id_created_at_idx on public.posts (user_id, created_at desc);
create index posts_generation_id_idx on public.posts (generation_id);
create index posts_account_id_idx on public.posts (account_id);
create index posts_due_idx on public.posts (scheduled_at) where status = 'scheduled';

create trigger posts_touch_updated_at
  before update on public.posts
  for each row execute function public.touch_updated_at();

alter table public.posts enable row level security;

create policy "posts: owners read"
  on public.posts for select to authenticated
  using ((select auth.uid()) = user_id);

-- The only change a client makes directly: cancelling its own scheduled post.
create policy "posts: owners cancel scheduled posts"
  on public.posts for update to authenticated
  using ((select auth.uid()) = user_id and status = 'scheduled')
  with check ((select auth.uid()) = user_id and status = 'cancelled');

revoke all on table public.posts from anon, authenticated;
grant select on table public.posts to authenticated;
grant update (status) on table public.posts to authenticated;
grant all on table public.posts to service_role;
