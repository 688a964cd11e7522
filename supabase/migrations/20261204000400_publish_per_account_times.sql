-- Scheduling across zones: "09:00 local time on each account" is a different instant per
-- account, resolved in the browser (which has the zone rules). publish_generation takes them as
-- p_scheduled_at_by_account, a JSON object of account id → timestamptz, beside the single
-- p_scheduled_at; still one call, all or nothing, idempotent on p_request_key.
--
-- Every time is held to the single time's rules (at least a minute ahead, within
-- private.schedule_horizon()); the object's keys must be exactly the accounts published to: a
-- missing, extra or unknown account, or a value that is not a time, is refused and nothing is
-- written. Callers that pass one time (or none) are unchanged.

-- One scheduled time per account (null: now), in the order of p_account_ids.
drop function private.insert_posts(uuid, uuid[], text, text[], timestamptz, uuid);

create function private.insert_posts(
  p_generation_id uuid,
  p_account_ids uuid[],
  p_caption text,
  p_hashtags text[],
  p_scheduled_at timestamptz[],
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
           when a.at is not null then 'scheduled'::public.post_status
           when c.status = 'mock' then 'published'::public.post_status
           else 'publishing'::public.post_status
         end,
         a.at,
         case when a.at is null and c.status = 'mock' then pg_catalog.now() end,
         case when s.cannot_send then pg_catalog.format('Atelier cannot publish to %s yet', l.display_name) end,
         p_request_key
  from rows from (pg_catalog.unnest(p_account_ids), pg_catalog.unnest(p_scheduled_at)) with ordinality as a(id, at, n)
  join public.connected_accounts c on c.id = a.id
  join public.platform_limits l on l.platform = c.platform
  -- A real account on a platform Atelier has no connector for: the post could never leave, so it
  -- fails now (scheduled or not) instead of waiting, and the request's other posts still go.
  cross join lateral (select c.status = 'active' and not l.has_connector as cannot_send) s
  order by a.n
  returning *;
end;
$$;

revoke all on function private.insert_posts(uuid, uuid[], text, text[], timestamptz[], uuid) from public;
grant execute on function private.insert_posts(uuid, uuid[], text, text[], timestamptz[], uuid) to authenticated;

-- The per-account times of a request, in the order of p_accounts; refuses a map whose keys are
-- not exactly those accounts, or whose values are not times.
create function private.scheduled_times_by_account(p_accounts uuid[], p_times jsonb)
returns timestamptz[]
language plpgsql
stable
set search_path = ''
as $$
declare
  v_key text;
  v_value jsonb;
  v_ids uuid[] := '{}';
  v_ats timestamptz[] := '{}';
  v_missing uuid;
begin
  if pg_catalog.jsonb_typeof(p_times) <> 'object' then
    raise exception 'The scheduled times must be an object of account id to time'
      using errcode = '22023', hint = 'Send {"<account id>": "<time>", …} for the accounts published to.';
  end if;
  for v_key, v_value in select e.key, e.value from pg_catalog.jsonb_each(p_times) as e loop
    if v_key !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       or not (v_key::uuid = any (p_accounts)) or v_key::uuid = any (v_ids) then
      raise exception 'A scheduled time names account %, which is not among the accounts published to', v_key
        using errcode = '22023', hint = 'Give one time for each chosen account, and none for any other.';
    end if;
    v_ids := v_ids || v_key::uuid;
    begin
      if pg_catalog.jsonb_typeof(v_value) <> 'string' then
        raise exception using errcode = '22007';
      end if;
      v_ats := v_ats || (v_value #>> '{}')::timestamptz;
    exception when invalid_datetime_format or datetime_field_overflow then
      raise exception 'The scheduled time for account % is not a time', v_key
        using errcode = '22023', hint = 'Give each time as an ISO 8601 timestamp with its offset.';
    end;
  end loop;
  select a into v_missing from pg_catalog.unnest(p_accounts) as a where not (a = any (v_ids)) limit 1;
  if found then
    raise exception 'No scheduled time for account %', v_missing
      using errcode = '22023', hint = 'Give one time for each chosen account, or one time for all.';
  end if;
  return (select pg_catalog.array_agg(t.at order by a.n)
          from pg_catalog.unnest(p_accounts) with ordinality as a(id, n)
          join rows from (pg_catalog.unnest(v_ids), pg_catalog.unnest(v_ats)) as t(id, at) on t.id = a.id);
end;
$$;

comment on function private.scheduled_times_by_account(uuid[], jsonb) is
  'The times of p_times (account id → timestamptz) in the order of p_accounts; refuses other keys or values.';

revoke all on function private.scheduled_times_by_account(uuid[], jsonb) from public;
grant execute on function private.scheduled_times_by_account(uuid[], jsonb) to authenticated, service_role;

-- The new parameter changes the signature: the six-argument function goes, and every call that
-- gave it (positionally or by name) reaches this one, the new argument defaulting to null.
drop function public.publish_generation(uuid, uuid[], text, text[], timestamptz, uuid);

create function public.publish_generation(
  p_generation_id uuid,
  p_account_ids uuid[],
  p_caption text,
  p_hashtags text[],
  p_scheduled_at timestamptz default null,
  p_request_key uuid default null,
  p_scheduled_at_by_account jsonb default null
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
  v_times timestamptz[];
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

  if p_scheduled_at_by_account is not null and pg_catalog.jsonb_typeof(p_scheduled_at_by_account) <> 'null' then
    if p_scheduled_at is not null then
      raise exception 'Give one scheduled time, or one per account, not both'
        using errcode = '22023', hint = 'Leave p_scheduled_at out when sending p_scheduled_at_by_account.';
    end if;
    v_times := private.scheduled_times_by_account(v_accounts, p_scheduled_at_by_account);
  else
    v_times := pg_catalog.array_fill(p_scheduled_at, array[pg_catalog.cardinality(v_accounts)]);
  end if;

  if exists (select 1 from pg_catalog.unnest(v_times) as t where t < pg_catalog.now() + interval '1 minute') then
    raise exception 'Schedule at least one minute ahead'
      using errcode = '22023', hint = 'Pick a later time, or publish now.';
  end if;
  -- `infinity` or year 294276 would be a post that never goes out.
  if exists (select 1 from pg_catalog.unnest(v_times) as t
             where t > pg_catalog.now() + private.schedule_horizon()) then
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
                                       v_times, p_request_key);
end;
$$;

comment on function public.publish_generation(uuid, uuid[], text, text[], timestamptz, uuid, jsonb) is
  'Publishes (or schedules, at one time or one per account) a completed generation to accounts: all or nothing, idempotent on p_request_key.';

revoke all on function public.publish_generation(uuid, uuid[], text, text[], timestamptz, uuid, jsonb) from public;
grant execute on function public.publish_generation(uuid, uuid[], text, text[], timestamptz, uuid, jsonb)
  to authenticated;
