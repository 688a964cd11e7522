-- What delivering a post to a real platform needs to remember, all of it non-secret (posts are
-- readable by their owner): where the post landed, the idempotency key every attempt reuses, and
-- the worker lease that keeps two workers from sending one post. A retry is `publishing` with a
-- next_attempt_at and the last attempt's reason in `error`, not a status of its own.

alter table public.posts
  -- Bluesky at-uri / Mastodon status id, and the public URL of the post.
  add column remote_id text,
  add column remote_url text,
  -- Bluesky record key (TID) / Mastodon Idempotency-Key: set before the first attempt, then fixed.
  add column delivery_key text,
  add column attempts integer not null default 0,
  add column next_attempt_at timestamptz,
  add column lease_owner uuid,
  add column lease_until timestamptz,
  add constraint posts_attempts_not_negative check (attempts >= 0),
  add constraint posts_remote_id_length check (char_length(remote_id) between 1 and 500),
  add constraint posts_remote_url_http check (remote_url ~ '^https?://[^[:space:]]+$' and char_length(remote_url) <= 2000),
  add constraint posts_delivery_key_length check (char_length(delivery_key) between 1 and 200),
  add constraint posts_lease_whole check ((lease_owner is null) = (lease_until is null));

comment on column public.posts.remote_id is 'The post''s id on its platform (Bluesky at-uri, Mastodon status id).';
comment on column public.posts.remote_url is 'The post''s public URL on its platform.';
comment on column public.posts.delivery_key is
  'Idempotency key of the delivery (Bluesky rkey, Mastodon Idempotency-Key): stored before the first attempt, never changed.';
comment on column public.posts.attempts is 'Delivery attempts so far (a manual retry starts again at 0).';
comment on column public.posts.next_attempt_at is 'While publishing: when the next attempt is due (a retry after a failure).';
comment on column public.posts.lease_owner is 'The worker delivering the post right now.';
comment on column public.posts.lease_until is 'Until when that worker holds the post; past it, another worker may take it.';

-- Every attempt must present the same key, or a platform could receive the post twice.
create function public.keep_delivery_key()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if old.delivery_key is not null and new.delivery_key is distinct from old.delivery_key then
    raise exception 'The delivery key of post % is already set and cannot change', old.id
      using errcode = '55000';
  end if;
  return new;
end;
$$;

comment on function public.keep_delivery_key() is 'Refuses changing a post''s delivery_key once set.';
revoke all on function public.keep_delivery_key() from public, anon, authenticated;

create trigger posts_keep_delivery_key
  before update of delivery_key on public.posts
  for each row execute function public.keep_delivery_key();

-- The worker looks for publishing posts that are free or due.
create index posts_publishing_idx on public.posts (next_attempt_at) where status = 'publishing';
