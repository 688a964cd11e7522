-- Publishing now or on schedule, with real connectors in the picture:
--   * an `active` account whose platform has no connector yet gets its post created `failed` at
--     once with "Atelier cannot publish to <Platform> yet" (the request's other posts still go);
--     an active account on a connector platform gets `publishing`, and the worker sends it;
--   * the text is measured by the one rule of private.post_text_length / post_text_fits, against
--     the account's own caption_max when it has one;
--   * publish_due_posts settles due scheduled posts with the same verdicts, which
--     private.delivery_problem now holds so that the delivery worker's claim applies them too.
-- Everything else (messages, idempotency, atomicity) is unchanged.

create or replace function private.insert_posts(
  p_generation_id uuid,
  p_account_ids uuid[],
  p_caption text,
  p_hashtags text[],
  p_scheduled_at timestamptz,
  p_request_key uuid
)
returns setof public.posts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
begin
  if v_user is null
     or not exists (select 1 from public.generations g
                    where g.id = p_generation_id and g.user_id = v_user)
     or exists (select 1 from pg_catalog.unnest(p_account_ids) as a(id)
                where not exists (select 1 from public.connected_accounts c
                                  where c.id = a.id and c.user_id = v_user)) then
    raise exception 'Not allowed to publish this generation to these accounts'
      using errcode = '42501';
  end if;

  return query
  insert into public.posts
    (user_id, generation_id, account_id, caption, hashtags, status, scheduled_at, published_at, error, request_key)
  select v_user, p_generation_id, c.id, p_caption, p_hashtags,
         case
           when s.cannot_send then 'failed'::public.post_status
           when p_scheduled_at is not null then 'scheduled'::public.post_status
           when c.status = 'mock' then 'published'::public.post_status
           else 'publishing'::public.post_status
         end,
         p_scheduled_at,
         case when p_scheduled_at is null and c.status = 'mock' then pg_catalog.now() end,
         case when s.cannot_send then pg_catalog.format('Atelier cannot publish to %s yet', l.display_name) end,
         p_request_key
  from pg_catalog.unnest(p_account_ids) with ordinality as a(id, n)
  join public.connected_accounts c on c.id = a.id
  join public.platform_limits l on l.platform = c.platform
  -- A real account on a platform Atelier has no connector for: the post could never leave, so it
  -- fails now (scheduled or not) instead of waiting, and the request's other posts still go.
  cross join lateral (select c.status = 'active' and not l.has_connector as cannot_send) s
  order by a.n
  returning *;
end;
$$;


-- How far ahead a post may be scheduled (src/domain/schedule.rs mirrors it; the schema mirror
-- test compares the two).
create function private.schedule_horizon()
returns interval
language sql
immutable
set search_path = ''
as $$ select interval '365 days' $$;

comment on function private.schedule_horizon() is 'How far ahead publish_generation accepts a scheduled time.';

revoke all on function private.schedule_horizon() from public;
grant execute on function private.schedule_horizon() to authenticated, service_role;

create or replace function public.publish_generation(
  p_generation_id uuid,
  p_account_ids uuid[],
  p_caption text,
  p_hashtags text[],
  p_scheduled_at timestamptz default null,
  p_request_key uuid default null
)
returns setof public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_generation record;
  v_account record;
  v_accounts uuid[];
  v_caption text := coalesce(p_caption, '');
  v_hashtags text[] := coalesce(p_hashtags, '{}');
  v_text text;
  v_tag_count integer;
  v_bad_tag text;
begin
  if v_user is null then
    raise exception 'Sign in to publish' using errcode = '42501';
  end if;

  -- Idempotency: the same key returns the first call's posts instead of posting twice.
  if p_request_key is not null then
    perform pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended(v_user::text || p_request_key::text, 0));
    if exists (select 1 from public.posts p where p.user_id = v_user and p.request_key = p_request_key) then
      return query select p.* from public.posts p
        where p.user_id = v_user and p.request_key = p_request_key
        order by p.created_at, p.id;
      return;
    end if;
  end if;

  -- Read as the caller: RLS hides anyone else's generation.
  select g.id, g.status, g.kind into v_generation
  from public.generations g where g.id = p_generation_id;
  if not found then
    raise exception 'Generation % was not found among yours', p_generation_id
      using errcode = '42501', hint = 'Publish one of your own completed generations.';
  end if;
  if v_generation.status <> 'completed' then
    raise exception 'This generation is %; only a completed one can be published', v_generation.status
      using errcode = '22023', hint = 'Wait for it to complete, or retry it if it failed.';
  end if;

  select array_agg(distinct a) into v_accounts from pg_catalog.unnest(p_account_ids) as a where a is not null;
  if v_accounts is null then
    raise exception 'Choose at least one account to publish to' using errcode = '22023';
  end if;

  if exists (select 1 from pg_catalog.unnest(v_hashtags) as t where t is null) then
    raise exception 'Hashtags cannot be empty' using errcode = '22023';
  end if;
  select t into v_bad_tag from pg_catalog.unnest(v_hashtags) as t
  where not private.hashtags_are_valid(array[t]) limit 1;
  if v_bad_tag is not null then
    raise exception 'Hashtag "%" is not valid', v_bad_tag
      using errcode = '22023', hint = 'A hashtag is # followed by letters, digits or underscores.';
  end if;

  if p_scheduled_at is not null and p_scheduled_at < pg_catalog.now() + interval '1 minute' then
    raise exception 'Schedule at least one minute ahead'
      using errcode = '22023', hint = 'Pick a later time, or publish now.';
  end if;
  -- `infinity` or year 294276 would be a post that never goes out.
  if p_scheduled_at is not null and p_scheduled_at > pg_catalog.now() + private.schedule_horizon() then
    raise exception 'Schedule within a year'
      using errcode = '22023', hint = 'Pick a time in the next 365 days.';
  end if;

  v_text := public.compose_post_text(v_caption, v_hashtags);
  -- Tags written in the caption count too (distinct, case-insensitive).
  select count(distinct pg_catalog.lower(m[1])) into v_tag_count
  from (select pg_catalog.regexp_matches(v_text, '(#[[:alnum:]_]+)', 'g') as m) tags;

  for v_account in
    select a.id as wanted, c.id, c.platform, c.handle, c.status,
           coalesce(c.caption_max, l.caption_max) as caption_max, l.caption_counts_bytes,
           l.caption_max_bytes, l.url_length, l.hashtag_max, l.supported,
           l.supports_image, l.supports_video
    from pg_catalog.unnest(v_accounts) as a(id)
    left join public.connected_accounts c on c.id = a.id
    left join public.platform_limits l on l.platform = c.platform
  loop
    if v_account.id is null then
      raise exception 'Account % was not found among yours', v_account.wanted
        using errcode = '42501', hint = 'Publish only to accounts you have connected.';
    end if;
    if v_account.status not in ('active', 'mock') then
      raise exception 'The % account @% is %', v_account.platform, v_account.handle, v_account.status
        using errcode = '22023', hint = 'Reconnect it on the Accounts page, or leave it out.';
    end if;
    if v_account.supported is not true then
      raise exception 'Publishing to % is not supported yet', v_account.platform using errcode = '22023';
    end if;
    if (v_generation.kind = 'image' and not v_account.supports_image)
       or (v_generation.kind = 'video' and not v_account.supports_video) then
      raise exception '% does not take % posts', v_account.platform, v_generation.kind
        using errcode = '22023', hint = 'Leave this account out for this generation.';
    end if;
    if private.post_text_length(v_text, v_account.caption_counts_bytes, v_account.url_length)
       > v_account.caption_max then
      raise exception 'The text is too long for % (% max)', v_account.platform, v_account.caption_max
        using errcode = '22023', hint = 'Shorten the caption or drop hashtags for this platform.';
    end if;
    if not private.post_text_fits(v_text, v_account.caption_max, v_account.caption_counts_bytes,
                                  v_account.caption_max_bytes, v_account.url_length) then
      raise exception 'The text is too long for % (% bytes max)', v_account.platform, v_account.caption_max_bytes
        using errcode = '22023', hint = 'Shorten the caption or drop hashtags for this platform.';
    end if;
    if v_tag_count > v_account.hashtag_max then
      raise exception '% allows at most % hashtag(s); this post has %',
        v_account.platform, v_account.hashtag_max, v_tag_count
        using errcode = '22023', hint = 'Remove hashtags, or leave this account out.';
    end if;
  end loop;

  return query
    select * from private.insert_posts(p_generation_id, v_accounts, v_caption, v_hashtags,
                                       p_scheduled_at, p_request_key);
end;
$$;

comment on function public.publish_generation(uuid, uuid[], text, text[], timestamptz, uuid) is
  'Publishes (or schedules) a completed generation to accounts: all or nothing, idempotent on p_request_key.';

-- Why a post that is due cannot go out now, or null when it can: the verdicts publish_due_posts
-- applies to scheduled posts and the delivery worker's claim applies before taking one.
create function private.delivery_problem(p_post_id uuid)
returns text
language sql
stable
security invoker
set search_path = ''
as $$
  select case
    when c.status not in ('active', 'mock') then pg_catalog.format(
      'The %s account @%s is %s: reconnect it on the Accounts page and schedule again',
      c.platform, c.handle, c.status)
    when l.supported is not true then pg_catalog.format(
      'Publishing to %s is not supported yet: choose another account and schedule again', c.platform)
    when c.status = 'active' and not l.has_connector then
      pg_catalog.format('Atelier cannot publish to %s yet', l.display_name)
    when g.status <> 'completed' or g.media_url is null then
      'The media of this post is no longer available: publish another generation'
    when (g.kind = 'image' and not l.supports_image) or (g.kind = 'video' and not l.supports_video) then
      pg_catalog.format('%s no longer takes %s posts: choose another account and schedule again', c.platform, g.kind)
    when private.post_text_length(b.body, l.caption_counts_bytes, l.url_length)
         > coalesce(c.caption_max, l.caption_max) then
      pg_catalog.format('The text is now too long for %s (%s max): shorten it and schedule again',
                        c.platform, coalesce(c.caption_max, l.caption_max))
    when not private.post_text_fits(b.body, coalesce(c.caption_max, l.caption_max), l.caption_counts_bytes,
                                    l.caption_max_bytes, l.url_length) then
      pg_catalog.format('The text is now too long for %s (%s bytes max): shorten it and schedule again',
                        c.platform, l.caption_max_bytes)
    when t.tag_count > l.hashtag_max then
      pg_catalog.format('%s now allows at most %s hashtag(s); this post has %s: remove some and schedule again',
                        c.platform, l.hashtag_max, t.tag_count)
  end
  from public.posts p
  join public.connected_accounts c on c.id = p.account_id
  join public.generations g on g.id = p.generation_id
  left join public.platform_limits l on l.platform = c.platform
  cross join lateral (select public.compose_post_text(p.caption, p.hashtags) as body) b
  -- Tags written in the caption count too (distinct, case-insensitive), as publish_generation counts them.
  cross join lateral (
    select count(distinct pg_catalog.lower(m[1])) as tag_count
    from pg_catalog.regexp_matches(b.body, '(#[[:alnum:]_]+)', 'g') as m
  ) t
  where p.id = p_post_id
$$;

comment on function private.delivery_problem(uuid) is
  'Why a due post cannot go out now (what the creator can do about it), or null when it can.';

revoke all on function private.delivery_problem(uuid) from public;
grant execute on function private.delivery_problem(uuid) to service_role;

create or replace function public.publish_due_posts(p_limit integer default 1000)
returns setof public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if p_limit is null or p_limit < 1 then
    raise exception 'p_limit must be a positive number of posts, not %', coalesce(p_limit::text, 'null')
      using errcode = '22023';
  end if;

  return query
  with due as materialized (
    -- The claim: rows another transaction is settling are skipped, not waited for, and a row
    -- settled since this statement's snapshot is re-checked (it is no longer `scheduled`).
    select p.id
    from public.posts p
    where p.status = 'scheduled' and p.scheduled_at <= pg_catalog.now()
    order by p.scheduled_at, p.id
    limit p_limit
    for update of p skip locked
  ),
  verdicts as (
    select d.id, c.status as account_status, private.delivery_problem(d.id) as reason
    from due d
    join public.posts p on p.id = d.id
    join public.connected_accounts c on c.id = p.account_id
  )
  update public.posts p
  set status = case
        when v.reason is not null then 'failed'::public.post_status
        when v.account_status = 'mock' then 'published'::public.post_status
        else 'publishing'::public.post_status
      end,
      published_at = case when v.reason is null and v.account_status = 'mock' then pg_catalog.now() end,
      error = v.reason
  from verdicts v
  where p.id = v.id
  returning p.*;
end;
$$;

comment on function public.publish_due_posts(integer) is
  'Claims up to p_limit due scheduled posts (skip locked, each exactly once) and publishes, queues or fails each with a reason.';
