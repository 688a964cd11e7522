-- The delivery worker's side of the posts table. A worker (the publish-worker function, as
-- service_role) claims posts with a lease, sends each one, and settles it: published with the
-- remote ids in one update, deferred to a later attempt, or failed. Only the holder of a post's
-- lease may settle it, so two workers never both send or both settle one post.
--
-- A post awaits a worker when its account is `active` on a platform with a connector and it is
--   * `publishing` with no live lease and no next attempt in the future, or
--   * `scheduled` and due (the claim moves it to `publishing`).

-- Whether a post's own fields say it awaits a worker (its account is checked separately).
create function private.awaits_worker(
  p_status public.post_status,
  p_scheduled_at timestamptz,
  p_lease_until timestamptz,
  p_next_attempt_at timestamptz
)
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
  select case p_status
    when 'publishing' then (p_lease_until is null or p_lease_until < pg_catalog.now())
                           and (p_next_attempt_at is null or p_next_attempt_at <= pg_catalog.now())
    when 'scheduled' then p_scheduled_at <= pg_catalog.now()
    else false
  end
$$;

comment on function private.awaits_worker(public.post_status, timestamptz, timestamptz, timestamptz) is
  'True for a publishing post with no live lease and no future attempt, or a due scheduled post.';

-- Everything a worker needs to send one post, in one row.
create type public.delivery as (
  post_id uuid,
  user_id uuid,
  generation_id uuid,
  account_id uuid,
  caption text,
  hashtags text[],
  delivery_key text,
  attempts integer,
  platform public.platform,
  handle text,
  remote_account_id text,
  service_url text,
  media_kind public.media_kind,
  media_path text,
  media_url text,
  width integer,
  height integer,
  prompt text,
  text_body text
);

comment on type public.delivery is
  'One claimed post with its account and media, as claim_deliveries hands it to the worker.';

create function public.claim_deliveries(
  p_worker uuid,
  p_limit integer default 10,
  p_lease_seconds integer default 120,
  p_post_ids uuid[] default null
)
returns setof public.delivery
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if p_worker is null then
    raise exception 'p_worker must name the claiming worker' using errcode = '22023';
  end if;
  if p_limit is null or p_limit < 1 then
    raise exception 'p_limit must be a positive number of posts, not %', coalesce(p_limit::text, 'null')
      using errcode = '22023';
  end if;
  if p_lease_seconds is null or p_lease_seconds < 1 then
    raise exception 'p_lease_seconds must be a positive number of seconds, not %',
      coalesce(p_lease_seconds::text, 'null') using errcode = '22023';
  end if;

  -- A due scheduled post that can no longer go out fails with the reason, as publish_due_posts
  -- would fail it, rather than reaching the platform.
  update public.posts p
  set status = 'failed', error = bad.reason
  from (
    select p.id, private.delivery_problem(p.id) as reason
    from public.posts p
    join public.connected_accounts c on c.id = p.account_id
    join public.platform_limits l on l.platform = c.platform
    where p.status = 'scheduled' and p.scheduled_at <= pg_catalog.now()
      and c.status = 'active' and l.has_connector
      and (p_post_ids is null or p.id = any (p_post_ids))
    for update of p skip locked
  ) bad
  where p.id = bad.id and bad.reason is not null;

  return query
  with picked as materialized (
    -- Rows another worker is claiming are skipped, not waited for; a row changed since this
    -- statement's snapshot is re-checked against the whole condition before it is locked.
    select p.id
    from public.posts p
    join public.connected_accounts c on c.id = p.account_id
    join public.platform_limits l on l.platform = c.platform
    where c.status = 'active' and l.has_connector
      and private.awaits_worker(p.status, p.scheduled_at, p.lease_until, p.next_attempt_at)
      and (p_post_ids is null or p.id = any (p_post_ids))
    order by coalesce(p.next_attempt_at, p.scheduled_at, p.created_at), p.id
    limit p_limit
    for update of p skip locked
  ),
  claimed as (
    update public.posts p
    set status = 'publishing',
        lease_owner = p_worker,
        lease_until = pg_catalog.now() + pg_catalog.make_interval(secs => p_lease_seconds),
        attempts = p.attempts + 1
    from picked
    where p.id = picked.id
    returning p.*
  )
  select k.id, k.user_id, k.generation_id, k.account_id, k.caption, k.hashtags, k.delivery_key, k.attempts,
         c.platform, c.handle, c.remote_id, c.service_url,
         g.kind, g.media_path, g.media_url, g.width, g.height, g.prompt,
         public.compose_post_text(k.caption, k.hashtags)
  from claimed k
  join public.connected_accounts c on c.id = k.account_id
  join public.generations g on g.id = k.generation_id
  order by coalesce(k.next_attempt_at, k.scheduled_at, k.created_at), k.id;
end;
$$;

comment on function public.claim_deliveries(uuid, integer, integer, uuid[]) is
  'Leases up to p_limit posts awaiting delivery (skip locked) to p_worker, attempts + 1; only p_post_ids when given.';

-- The post, locked, when p_worker holds its lease; otherwise a clear refusal. A lease that ran
-- out still counts until another worker claims the post (which changes lease_owner): the first
-- worker may then still record what it did.
create function private.leased_post(p_post_id uuid, p_worker uuid)
returns public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_post public.posts;
begin
  select * into v_post from public.posts p where p.id = p_post_id for update;
  if not found or v_post.status <> 'publishing' or v_post.lease_owner is distinct from p_worker
     or p_worker is null then
    raise exception 'Worker % does not hold the lease on post %', coalesce(p_worker::text, 'null'), p_post_id
      using errcode = 'P0001', hint = 'Another worker took the post, or it is no longer publishing.';
  end if;
  return v_post;
end;
$$;

comment on function private.leased_post(uuid, uuid) is
  'Locks and returns a publishing post whose lease p_worker holds; raises otherwise.';

create function public.set_delivery_key(p_post_id uuid, p_worker uuid, p_key text)
returns text
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_post public.posts;
begin
  if p_key is null or pg_catalog.btrim(p_key) = '' or pg_catalog.char_length(p_key) > 200 then
    raise exception 'A delivery key is 1 to 200 characters' using errcode = '22023';
  end if;
  v_post := private.leased_post(p_post_id, p_worker);
  if v_post.delivery_key is null then
    update public.posts set delivery_key = p_key where id = p_post_id;
    return p_key;
  end if;
  return v_post.delivery_key;
end;
$$;

comment on function public.set_delivery_key(uuid, uuid, text) is
  'Stores the post''s delivery key if it has none (lease holder only) and returns the stored one.';

create function public.complete_delivery(p_post_id uuid, p_worker uuid, p_remote_id text, p_remote_url text)
returns public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_post public.posts;
begin
  if p_remote_id is null or pg_catalog.btrim(p_remote_id) = '' then
    raise exception 'A delivered post needs its remote id' using errcode = '22023';
  end if;
  perform private.leased_post(p_post_id, p_worker);
  update public.posts
  set status = 'published', published_at = pg_catalog.now(), remote_id = p_remote_id, remote_url = p_remote_url,
      error = null, next_attempt_at = null, lease_owner = null, lease_until = null
  where id = p_post_id
  returning * into v_post;
  return v_post;
end;
$$;

comment on function public.complete_delivery(uuid, uuid, text, text) is
  'Marks a leased post published with its remote id and URL, in one update (lease holder only).';

create function public.defer_delivery(
  p_post_id uuid,
  p_worker uuid,
  p_next_attempt_at timestamptz,
  p_reason text,
  -- A rate limit is the platform asking to wait, not a failed attempt: the claim's count is
  -- given back, so waits never use up the tries a post has for real failures.
  p_counts_attempt boolean default true
)
returns public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_post public.posts;
  v_account record;
begin
  if p_next_attempt_at is null then
    raise exception 'A deferred delivery needs the time of its next attempt' using errcode = '22023';
  end if;
  if p_reason is null or pg_catalog.btrim(p_reason) = '' then
    raise exception 'A deferred delivery needs the reason the creator will read' using errcode = '22023';
  end if;
  perform private.leased_post(p_post_id, p_worker);
  select c.platform, c.handle, c.status into v_account
  from public.posts p join public.connected_accounts c on c.id = p.account_id
  where p.id = p_post_id;
  -- The account stopped working meanwhile (another post of it found the tokens expired or
  -- revoked): no claim would take this post again, so it fails now with what to do.
  if v_account.status <> 'active' then
    update public.posts
    set status = 'failed', error = pg_catalog.format(
          'The %s account @%s is %s: reconnect it on the Accounts page, then use Retry post',
          (select l.display_name from public.platform_limits l where l.platform = v_account.platform),
          v_account.handle, v_account.status),
        next_attempt_at = null, lease_owner = null, lease_until = null
    where id = p_post_id
    returning * into v_post;
    return v_post;
  end if;
  update public.posts
  set next_attempt_at = p_next_attempt_at, error = p_reason, lease_owner = null, lease_until = null,
      attempts = case when coalesce(p_counts_attempt, true) then attempts else greatest(attempts - 1, 0) end
  where id = p_post_id
  returning * into v_post;
  return v_post;
end;
$$;

comment on function public.defer_delivery(uuid, uuid, timestamptz, text, boolean) is
  'Leaves a leased post publishing, to be tried again at p_next_attempt_at (p_reason shows meanwhile; a rate limit gives the attempt back); fails it when its account is no longer active.';

create function public.fail_delivery(
  p_post_id uuid,
  p_worker uuid,
  p_reason text,
  p_account_status public.account_status default null
)
returns public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_post public.posts;
begin
  if p_reason is null or pg_catalog.btrim(p_reason) = '' then
    raise exception 'A failed delivery needs the reason the creator will read' using errcode = '22023';
  end if;
  if p_account_status is not null and p_account_status not in ('expired', 'revoked') then
    raise exception 'A failed delivery can only mark its account expired or revoked, not %', p_account_status
      using errcode = '22023';
  end if;
  perform private.leased_post(p_post_id, p_worker);
  update public.posts
  set status = 'failed', error = p_reason, next_attempt_at = null, lease_owner = null, lease_until = null
  where id = p_post_id
  returning * into v_post;

  if p_account_status is not null then
    update public.connected_accounts set status = p_account_status where id = v_post.account_id;
    -- The account's other posts waiting for a worker would never be claimed now: they fail with
    -- the same reason. Scheduled ones wait for their time (the account may be reconnected by then).
    update public.posts p
    set status = 'failed', error = p_reason, next_attempt_at = null
    where p.account_id = v_post.account_id and p.status = 'publishing'
      and (p.lease_until is null or p.lease_until < pg_catalog.now());
  end if;
  return v_post;
end;
$$;

comment on function public.fail_delivery(uuid, uuid, text, public.account_status) is
  'Marks a leased post failed with p_reason; with p_account_status, the account becomes expired or revoked too.';

revoke all on function private.awaits_worker(public.post_status, timestamptz, timestamptz, timestamptz) from public;
revoke all on function private.leased_post(uuid, uuid) from public;
revoke all on function public.claim_deliveries(uuid, integer, integer, uuid[]) from public, anon, authenticated;
revoke all on function public.set_delivery_key(uuid, uuid, text) from public, anon, authenticated;
revoke all on function public.complete_delivery(uuid, uuid, text, text) from public, anon, authenticated;
revoke all on function public.defer_delivery(uuid, uuid, timestamptz, text, boolean) from public, anon, authenticated;
revoke all on function public.fail_delivery(uuid, uuid, text, public.account_status) from public, anon, authenticated;
grant execute on function private.awaits_worker(public.post_status, timestamptz, timestamptz, timestamptz)
  to service_role;
grant execute on function private.leased_post(uuid, uuid) to service_role;
grant execute on function public.claim_deliveries(uuid, integer, integer, uuid[]) to service_role;
grant execute on function public.set_delivery_key(uuid, uuid, text) to service_role;
grant execute on function public.complete_delivery(uuid, uuid, text, text) to service_role;
grant execute on function public.defer_delivery(uuid, uuid, timestamptz, text, boolean) to service_role;
grant execute on function public.fail_delivery(uuid, uuid, text, public.account_status) to service_role;
